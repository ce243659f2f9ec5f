using Attune.Data;
using Attune.Features.Assessments;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Measures;

/// <summary>The facilitators who see this person's group check-in numbers: groups they're active in, where they chose to share their own numbers.</summary>
public sealed class GroupCheckInViewers(AttuneDb db) : ICheckInViewers
{
    public async Task<IReadOnlyList<string>> NamesAsync(string personId, CancellationToken ct = default) =>
        await (from m in db.Set<GroupMember>().AsNoTracking()
               join g in db.Set<Group>().AsNoTracking() on m.GroupId equals g.Id
               where m.UserId == personId && m.Status == "active" && m.MeasuresConsent && m.ShareOwnNumbers
               select g.FacilitatorName + " (your group's facilitator)").ToListAsync(ct);
}
