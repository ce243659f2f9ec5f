using Attune.Data;
using Attune.Features.Assessments;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>The therapists who see this person's check-in scores (and so a PHQ-9 item-9 flag): active care with the check-ins consent on.</summary>
public sealed class CareCheckInViewers(AttuneDb db) : ICheckInViewers
{
    public async Task<IReadOnlyList<string>> NamesAsync(string personId, CancellationToken ct = default) =>
        await (from c in db.Set<CareRelationship>().AsNoTracking()
               where c.PersonId == personId && c.Status == CareStatus.Active && c.ConsentCheckIns
               join p in db.Set<TherapistProfile>().AsNoTracking() on c.TherapistId equals p.UserId into profiles
               from p in profiles.DefaultIfEmpty()
               select p == null ? "your therapist" : p.Name).ToListAsync(ct);
}
