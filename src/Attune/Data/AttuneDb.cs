using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Attune.Data;

/// <remarks>
/// Contexts are pooled (one is set up once and reused by request after request), so the context
/// holds no state of its own beyond EF's, which the pool resets; the app's singletons it needs
/// come from the application's services on first use.
/// </remarks>
public sealed class AttuneDb : IdentityDbContext<AttuneUser>
{
    private Vault? _vault;
    private WriteGate? _gate;
    private TimeProvider? _clock;
    private PersonProfiles? _profiles;

    public AttuneDb(DbContextOptions<AttuneDb> options) : base(options) { }

    /// <summary>A context outside the app's services (schema tests).</summary>
    internal AttuneDb(DbContextOptions<AttuneDb> options, Vault vault, WriteGate gate, TimeProvider clock) : base(options)
    {
        _vault = vault;
        _gate = gate;
        _clock = clock;
        _standalone = true;
    }

    // Outside the app there are no cached profiles to forget.
    private readonly bool _standalone;

    // EF's GetService falls back to the application's services for what EF itself doesn't provide.
    public Vault Vault => _vault ??= this.GetService<Vault>();
    private WriteGate Gate => _gate ??= this.GetService<WriteGate>();
    private TimeProvider Clock => _clock ??= this.GetService<TimeProvider>();

    /// <summary>People's cached names, time zones and countries.</summary>
    public PersonProfiles Profiles => _profiles ??= this.GetService<PersonProfiles>();

    /// <summary>The person's profile (cached: see <see cref="PersonProfiles"/>), or null when there is no such person.</summary>
    public Task<PersonProfile?> ProfileAsync(string userId, CancellationToken ct = default) => Profiles.GetAsync(this, userId, ct);

    /// <summary>The person's time zone (cached with their profile; UTC when unknown): for code working on someone's data by their id.</summary>
    public async Task<TimeZoneInfo> ZoneOfAsync(string userId, CancellationToken ct = default) => (await ProfileAsync(userId, ct))?.Zone ?? TimeZoneInfo.Utc;

    public DbSet<PersonKey> PersonKeys => Set<PersonKey>();
    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

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
            PersonKeys.Add(Vault.NewPersonKey(user.Id, Clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Forgets a prepared key when the account was not created after all.</summary>
    public void AbandonNewPerson(AttuneUser user)
    {
        foreach (var key in PersonKeys.Local.Where(k => k.UserId == user.Id).ToList()) Entry(key).State = EntityState.Detached;
        Vault.Forget(user.Id);
    }

    public Task<Sealed> SealAsync(string ownerId, string table, string rowId, string field, string plaintext, CancellationToken ct = default) =>
        Vault.SealAsync(this, ownerId, table, rowId, field, plaintext, ct);

    public Task<Sealed> SealBytesAsync(string ownerId, string table, string rowId, string field, byte[] plaintext, CancellationToken ct = default) =>
        Vault.SealBytesAsync(this, ownerId, table, rowId, field, plaintext, ct);

    public Task<byte[]> OpenBytesAsync(string ownerId, string table, string rowId, string field, Sealed value, CancellationToken ct = default) =>
        Vault.OpenBytesAsync(this, ownerId, table, rowId, field, value, ct);

    public Task<string> OpenAsync(string ownerId, string table, string rowId, string field, Sealed value, CancellationToken ct = default) =>
        Vault.OpenAsync(this, ownerId, table, rowId, field, value, ct);

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var changed = PreparePeople();
        var named = PersonSnapshots.PeopleIn(ChangeTracker);
        int result;
        using (await Gate.EnterAsync(cancellationToken))
            result = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        Forget(changed, named);
        return result;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var changed = PreparePeople();
        var named = PersonSnapshots.PeopleIn(ChangeTracker);
        int result;
        using (Gate.Enter())
            result = base.SaveChanges(acceptAllChangesOnSuccess);
        Forget(changed, named);
        return result;
    }

    /// <summary>After a save: cached profiles of changed accounts, and copies of pages of the people the saved rows name.</summary>
    private void Forget(List<string>? profiles, HashSet<string>? named)
    {
        if (_standalone) return;
        foreach (var id in profiles ?? []) Profiles.Forget(id);
        if (named is null) return;
        var snapshots = this.GetService<PersonSnapshots>();
        foreach (var id in named) snapshots.Forget(id);
    }

    /// <summary>
    /// A new person gets their data key in the same transaction as their account: never one without
    /// the other. Returns the people whose account row this save changes or deletes: their cached
    /// profile goes once it is saved. One pass, so the change tracker is scanned once per save.
    /// </summary>
    private List<string>? PreparePeople()
    {
        List<string>? changed = null;
        foreach (var entry in ChangeTracker.Entries<AttuneUser>().ToList())
        {
            if (entry.State == EntityState.Added) PrepareNewPerson(entry.Entity);
            else if (entry.State is EntityState.Modified or EntityState.Deleted) (changed ??= []).Add(entry.Entity.Id);
        }
        return changed;
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
