using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Attune.Features.Care;

/// <summary>
/// Whether someone has a therapist profile, for the Workspace link every page shows them. Kept in
/// memory for a few minutes so pages don't ask the database each time; saving a profile forgets it.
/// </summary>
public sealed class TherapistFlag(AttuneDb db, IMemoryCache cache)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);

    private static string Key(string userId) => "therapist:" + userId;

    public async Task<bool> IsTherapistAsync(string userId, CancellationToken ct = default)
    {
        if (cache.TryGetValue(Key(userId), out bool known)) return known;
        var found = await db.Set<TherapistProfile>().AsNoTracking().AnyAsync(p => p.UserId == userId, ct);
        cache.Set(Key(userId), found, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = KeepFor, Size = 1 });
        return found;
    }

    public void Forget(string userId) => cache.Remove(Key(userId));
}
