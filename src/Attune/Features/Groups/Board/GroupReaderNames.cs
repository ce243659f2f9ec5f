using System.Security.Cryptography;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Board;

/// <summary>
/// Who read my data through a group (a share with the group, my application, my numbers), named in
/// my access log as the group knows them: the facilitator by the name they chose for the group, a
/// member by the name the group sees, opened with my own hold of the group's key. Never an
/// account's name, also once the group, the member or my own place in it has gone.
/// </summary>
internal sealed class GroupReaderNames(AttuneDb db, SharedKeys keys) : Privacy.IReaderNames
{
    public bool Knows(string via) => GroupShareChannel.GroupOf(via) is not null;

    public async Task<string> NameAsync(string ownerId, string actorId, string via, CancellationToken ct)
    {
        if (GroupShareChannel.GroupOf(via) is not { } groupId) return "Someone in a group";
        var group = await db.Set<Group>().AsNoTracking().Where(g => g.Id == groupId).Select(g => new { g.FacilitatorId, g.FacilitatorName }).FirstOrDefaultAsync(ct);
        if (group is null) return "Someone in a group that has ended";
        if (group.FacilitatorId == actorId) return group.FacilitatorName;
        var member = await db.Set<GroupMember>().AsNoTracking().Where(m => m.GroupId == groupId && m.UserId == actorId).OrderByDescending(m => m.AgreedAt).FirstOrDefaultAsync(ct);
        if (member?.GroupName is null) return "Someone who was in your group";
        if (await keys.OpenAsync(groupId, ownerId, ct) is not { } key) return "Someone in your group";
        try { return key.Open(GroupMember.Table, member.Id.ToString(), Insiders.NameField, member.GroupName); }
        catch (CryptographicException) { return "Someone in your group"; }
    }
}
