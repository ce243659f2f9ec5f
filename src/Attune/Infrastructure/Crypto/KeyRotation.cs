using Attune.Data;
using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Crypto;

/// <summary>
/// Master-key rotation: re-wraps every data key (and the Data Protection key ring) under the
/// current master key. Content ciphertext is never touched: only the small wrapped keys change.
/// </summary>
public static class KeyRotation
{
    public static async Task<int> RewrapAsync(AttuneDb db, MasterKeyRing ring, Vault vault, CancellationToken ct = default)
    {
        var count = 0;
        var stale = await db.PersonKeys.Where(k => k.MasterKeyVersion != ring.CurrentId).ToListAsync(ct);
        foreach (var row in stale)
        {
            var context = Vault.KeyContext(row.UserId);
            var dataKey = ring.Unwrap(row.MasterKeyVersion, row.WrappedKey, context);
            (row.MasterKeyVersion, row.WrappedKey) = ring.Wrap(dataKey, context);
            vault.Forget(row.UserId);
            count++;
        }
        var dpKeys = await db.DataProtectionKeys.Where(k => k.MasterKeyVersion != ring.CurrentId).ToListAsync(ct);
        foreach (var row in dpKeys)
        {
            var context = DataProtectionKeyStore.Context(row.FriendlyName);
            var xml = ring.Unwrap(row.MasterKeyVersion, row.Xml, context);
            (row.MasterKeyVersion, row.Xml) = ring.Wrap(xml, context);
        }
        foreach (var row in await db.Set<Push.AppSecret>().Where(k => k.MasterKeyVersion != ring.CurrentId).ToListAsync(ct))
        {
            var context = Push.AppSecret.Context(row.Name);
            (row.MasterKeyVersion, row.Value) = ring.Wrap(ring.Unwrap(row.MasterKeyVersion, row.Value, context), context);
        }
        await db.SaveChangesAsync(ct);
        return count;
    }

    /// <summary>The <c>rotate-master-key</c> and <c>rewrap-keys</c> commands.</summary>
    public static async Task<int> RunCommandAsync(IServiceProvider services, bool addKey)
    {
        using var scope = services.CreateScope();
        var ring = scope.ServiceProvider.GetRequiredService<MasterKeyRing>();
        var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
        await db.Database.MigrateAsync();
        if (addKey)
        {
            var version = ring.AddKeyToFile();
            Console.WriteLine($"Added master key version {version} to {ring.FilePath}.");
        }
        var count = await RewrapAsync(db, ring, scope.ServiceProvider.GetRequiredService<Vault>());
        Console.WriteLine($"Re-wrapped {count} data keys under master key version {ring.CurrentId}. Older versions can be removed once backups made before now have expired.");
        return 0;
    }
}
