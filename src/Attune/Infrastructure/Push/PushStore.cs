using System.Security.Cryptography;
using System.Text;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Infrastructure.Push;

/// <summary>A server-wide secret (the VAPID signing key), wrapped under the master key like the data keys.</summary>
public sealed class AppSecret
{
    public string Name { get; set; } = "";
    public int MasterKeyVersion { get; set; }
    public byte[] Value { get; set; } = [];

    public static string Context(string name) => $"attune/v1/app-secret/{name}";

    internal sealed class Config : IEntityTypeConfiguration<AppSecret>
    {
        public void Configure(EntityTypeBuilder<AppSecret> b)
        {
            b.ToTable("AppSecrets");
            b.HasKey(s => s.Name);
            b.Property(s => s.Name).HasMaxLength(64);
        }
    }
}

/// <summary>
/// One browser's push subscription. The endpoint (a capability URL naming the device at its push
/// service) and its keys are sealed under the person's key; only a hash of the endpoint is plain,
/// so the same browser subscribing again replaces its row.
/// </summary>
public sealed class PushSubscription
{
    public const string Table = "push_subscriptions";

    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string EndpointHash { get; set; } = "";
    public Sealed Details { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    public static string Hash(string endpoint) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint)));

    internal sealed class Config : IEntityTypeConfiguration<PushSubscription>
    {
        public void Configure(EntityTypeBuilder<PushSubscription> b)
        {
            b.ToTable("PushSubscriptions");
            b.HasKey(s => s.Id);
            b.Property(s => s.EndpointHash).HasMaxLength(64);
            b.HasIndex(s => new { s.UserId, s.EndpointHash }).IsUnique();
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>
/// The VAPID key: made on first use, kept in the database wrapped under the master key (so every
/// node signs with the same key and browsers' subscriptions keep working), unwrapped once per process.
/// </summary>
public sealed class VapidKeys(IServiceScopeFactory scopes, MasterKeyRing ring, IConfiguration config) : IDisposable
{
    public const string Name = "vapid";
    private readonly SemaphoreSlim _once = new(1, 1);
    private Vapid? _vapid;

    public async Task<Vapid> GetAsync(CancellationToken ct = default)
    {
        if (_vapid is not null) return _vapid;
        await _once.WaitAsync(ct);
        try
        {
            if (_vapid is not null) return _vapid;
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
            var row = await db.Set<AppSecret>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == Name, ct);
            if (row is null)
            {
                using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var (version, wrapped) = ring.Wrap(fresh.ExportECPrivateKey(), AppSecret.Context(Name));
                db.Add(new AppSecret { Name = Name, MasterKeyVersion = version, Value = wrapped });
                try { await db.SaveChangesAsync(ct); }
                catch (DbUpdateException) { db.ChangeTracker.Clear(); } // another node made it first: use theirs
                row = await db.Set<AppSecret>().AsNoTracking().FirstAsync(s => s.Name == Name, ct);
            }
            var key = ECDsa.Create();
            key.ImportECPrivateKey(ring.Unwrap(row.MasterKeyVersion, row.Value, AppSecret.Context(Name)), out _);
            _vapid = new Vapid(key, config["Attune:PushContact"] ?? "mailto:no-reply@attune.local");
            return _vapid;
        }
        finally
        {
            _once.Release();
        }
    }

    public void Dispose() => _once.Dispose();
}
