using Attune.Data;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Live;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups;

/// <summary>
/// Before an account goes: in each group they are a member of, they leave as anyone leaves (their
/// words and shares withdrawn for everyone, the key rotated, open rooms told), so the others keep
/// reading the rest. A group they facilitate goes with them, its key too, and the people in it are
/// told that the group changed (never why).
/// </summary>
internal sealed class GroupsOnDeletion(AttuneDb db, WriteGate gate, Membership membership, GroupsService groups, SharedKeys keys, EventHub hub) : Privacy.IBeforeAccountDeletion
{
    public async Task BeforeDeleteAsync(string userId, CancellationToken ct)
    {
        var memberships = await (from m in db.Set<GroupMember>().AsTracking()
                                 join g in db.Set<Group>().AsNoTracking() on m.GroupId equals g.Id
                                 where m.UserId == userId && m.Status == "active"
                                 select new { m, g }).ToListAsync(ct);
        foreach (var x in memberships) await membership.LeaveForDeletionAsync(x.g, x.m, ct);

        foreach (var g in await db.Set<Group>().AsNoTracking().Where(g => g.FacilitatorId == userId).ToListAsync(ct))
        {
            var people = await groups.PeopleAsync(g, ct);
            // Every table of the group cascades from its row, shares with the group included.
            using (await gate.EnterAsync(ct))
                await db.Set<Group>().Where(x => x.Id == g.Id).ExecuteDeleteAsync(ct);
            await keys.DeleteAsync(g.Id, ct);
            foreach (var person in people.Where(p => p != userId)) hub.Publish(person, GroupsService.ChangedEvent, g.Id);
        }
    }
}
