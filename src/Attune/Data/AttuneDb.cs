using Attune.Features.Account;
using Attune.Features.Privacy;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Attune.Data;

public sealed class AttuneDb(DbContextOptions<AttuneDb> options, Vault vault, WriteGate gate, TimeProvider clock)
    : IdentityDbContext<AttuneUser>(options)
{
    public Vault Vault => vault;

    public DbSet<PersonKey> PersonKeys => Set<PersonKey>();
    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<UserSession> Sessions => Set<UserSession>();
    public DbSet<AccessLogEntry> AccessLog => Set<AccessLogEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AttuneDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Sealed>().HaveConversion<Sealed.Converter, Sealed.Comparer>();
        // Every timestamp is UTC. SQLite hands DateTime back unspecified; say what it is.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
    }

    /// <summary>
    /// Gives a person who is about to be created their data key now, so text can be sealed for
    /// them before the account is saved; both are saved in the same transaction.
    /// </summary>
    public void PrepareNewPerson(AttuneUser user)
    {
        if (!PersonKeys.Local.Any(k => k.UserId == user.Id))
            PersonKeys.Add(vault.NewPersonKey(user.Id, clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Forgets a prepared key when the account was not created after all.</summary>
    public void AbandonNewPerson(AttuneUser user)
    {
        foreach (var key in PersonKeys.Local.Where(k => k.UserId == user.Id).ToList()) Entry(key).State = EntityState.Detached;
        vault.Forget(user.Id);
    }

    public Task<Sealed> SealAsync(string ownerId, string table, string rowId, string field, string plaintext, CancellationToken ct = default) =>
        vault.SealAsync(this, ownerId, table, rowId, field, plaintext, ct);

    public Task<Sealed> SealBytesAsync(string ownerId, string table, string rowId, string field, byte[] plaintext, CancellationToken ct = default) =>
        vault.SealBytesAsync(this, ownerId, table, rowId, field, plaintext, ct);

    public Task<byte[]> OpenBytesAsync(string ownerId, string table, string rowId, string field, Sealed value, CancellationToken ct = default) =>
        vault.OpenBytesAsync(this, ownerId, table, rowId, field, value, ct);

    public Task<string> OpenAsync(string ownerId, string table, string rowId, string field, Sealed value, CancellationToken ct = default) =>
        vault.OpenAsync(this, ownerId, table, rowId, field, value, ct);

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        PrepareNewPeople();
        using var _ = await gate.EnterAsync(cancellationToken);
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        PrepareNewPeople();
        using var _ = gate.Enter();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>A new person gets their data key in the same transaction as their account: never one without the other.</summary>
    private void PrepareNewPeople()
    {
        foreach (var entry in ChangeTracker.Entries<AttuneUser>().Where(e => e.State == EntityState.Added).ToList())
            PrepareNewPerson(entry.Entity);
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>A person's data key, wrapped by a master key version.</summary>
public sealed class PersonKey
{
    public string UserId { get; set; } = "";
    public byte[] WrappedKey { get; set; } = [];
    public int MasterKeyVersion { get; set; }
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<PersonKey>
    {
        public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<PersonKey> b)
        {
            b.ToTable("PersonKeys");
            b.HasKey(k => k.UserId);
            b.HasOne<AttuneUser>().WithOne().HasForeignKey<PersonKey>(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>One ASP.NET Core Data Protection key, its XML encrypted by the master key.</summary>
public sealed class DataProtectionKeyRow
{
    public string FriendlyName { get; set; } = "";
    public byte[] Xml { get; set; } = [];
    public int MasterKeyVersion { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<DataProtectionKeyRow>
    {
        public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<DataProtectionKeyRow> b)
        {
            b.ToTable("DataProtectionKeys");
            b.HasKey(k => k.FriendlyName);
            b.Property(k => k.FriendlyName).HasMaxLength(100);
        }
    }
}
