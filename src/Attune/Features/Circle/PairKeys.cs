using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Circle;

/// <summary>
/// The key two people in a circle relationship share, for what they write to each other (a live
/// conversation, a witness reflection): a <see cref="SharedKey"/> whose epoch 0 is kept twice on
/// the relationship's own row, sealed under each person's data key. Either person opens it through
/// their own key; when the relationship ends or either account is deleted, the row goes and
/// nothing can open those words.
/// </summary>
public sealed class PairKeys(AttuneDb db, WriteGate gate, SharedKeys? shared = null)
{
    private readonly SharedKeys _shared = shared ?? new SharedKeys(db, gate, TimeProvider.System);

    /// <summary>The relationship's key as <paramref name="userId"/> (one of the two) opens it; made and stored on first use.</summary>
    public async Task<SharedKey> OpenAsync(CircleMember member, string userId, CancellationToken ct = default)
    {
        if (userId != member.OwnerId && userId != member.SupporterId) throw new InvalidOperationException("Only the two people in a relationship hold its key.");
        if (member.PairKeyOwner is null || member.PairKeySupporter is null)
        {
            var (fresh, forOwner, forSupporter) = await _shared.NewPairAsync(CircleMember.Table, member.Id, member.OwnerId, member.SupporterId, ct);
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
        return await _shared.OpenPairAsync(CircleMember.Table, member.Id, userId, userId == member.OwnerId ? member.PairKeyOwner! : member.PairKeySupporter!, ct);
    }

    /// <summary>The key's epoch-0 bytes as <paramref name="userId"/> opens them (both people open the same bytes; anyone else is refused).</summary>
    public async Task<byte[]> ForAsync(CircleMember member, string userId, CancellationToken ct = default) =>
        (await OpenAsync(member, userId, ct)).EpochZero();
}
