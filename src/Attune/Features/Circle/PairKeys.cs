using System.Security.Cryptography;
using Attune.Data;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Circle;

/// <summary>
/// The key two people in a circle relationship share, for what they write to each other (a live
/// conversation, a witness reflection). It is kept twice, sealed under each person's data key, on
/// the relationship's own row; so either person can open it through their own key, and when the
/// relationship ends or either account is deleted, the row goes and nothing can open those words.
/// </summary>
public sealed class PairKeys(AttuneDb db, WriteGate gate)
{
    private const string Field = "pairkey";

    /// <summary>The pair key as <paramref name="userId"/> (one of the two) opens it; made and stored on first use.</summary>
    public async Task<byte[]> ForAsync(CircleMember member, string userId, CancellationToken ct = default)
    {
        if (userId != member.OwnerId && userId != member.SupporterId) throw new InvalidOperationException("Only the two people in a relationship hold its key.");
        if (member.PairKeyOwner is null || member.PairKeySupporter is null)
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            var forOwner = await db.SealBytesAsync(member.OwnerId, CircleMember.Table, member.Id.ToString(), Field, fresh, ct);
            var forSupporter = await db.SealBytesAsync(member.SupporterId, CircleMember.Table, member.Id.ToString(), Field, fresh, ct);
            int stored;
            using (await gate.EnterAsync(ct))
            {
                // Only if nobody made one meanwhile; otherwise use theirs.
                stored = await db.Set<CircleMember>().Where(m => m.Id == member.Id && m.PairKeyOwner == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.PairKeyOwner, forOwner).SetProperty(m => m.PairKeySupporter, forSupporter), ct);
            }
            if (stored == 1) return fresh;
            var row = await db.Set<CircleMember>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == member.Id, ct)
                ?? throw new InvalidOperationException("The relationship has ended.");
            member.PairKeyOwner = row.PairKeyOwner;
            member.PairKeySupporter = row.PairKeySupporter;
        }
        return userId == member.OwnerId
            ? await db.OpenBytesAsync(member.OwnerId, CircleMember.Table, member.Id.ToString(), Field, member.PairKeyOwner!, ct)
            : await db.OpenBytesAsync(member.SupporterId, CircleMember.Table, member.Id.ToString(), Field, member.PairKeySupporter!, ct);
    }
}
