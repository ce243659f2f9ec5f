using Attune.Data;
using Attune.Features.Care;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups;

/// <summary>A therapist's listed groups for their public profile: the same rules as the directory.</summary>
public sealed class TherapistGroups(AttuneDb db, GroupsService groups) : ITherapistGroups
{
    public async Task<IReadOnlyList<TherapistGroupCard>> ListedByAsync(Guid profileId, string? viewerZone, CancellationToken ct)
    {
        var userId = await db.Set<TherapistProfile>().AsNoTracking().Where(p => p.Id == profileId).Select(p => p.UserId).FirstOrDefaultAsync(ct);
        if (userId is null) return [];
        var rows = await db.Set<Group>().AsNoTracking().Where(g => g.FacilitatorId == userId && g.Listed && !g.HiddenByAdmin && g.ClosedAt == null)
            .OrderByDescending(g => g.CreatedAt).Take(20).ToListAsync(ct);
        var result = new List<TherapistGroupCard>();
        foreach (var g in rows)
        {
            if (!await groups.IsListedAsync(g, ct)) continue;
            var card = await groups.CardAsync(g, viewerZone ?? g.TimeZone, ct);
            result.Add(new TherapistGroupCard(card.Id, card.Title, card.ForWhom, card.FirstMeeting, card.PlacesLeft));
        }
        return result;
    }
}
