using System.Security.Cryptography;
using Attune.Data;
using Attune.Features.Groups.Room;
using Attune.Features.Sharing;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups;

/// <summary>
/// Being in a group: accepting its agreements under the name the group sees (only then a member,
/// and a holder of the group's key), the members list, and leaving or being removed. Leaving takes
/// the person's words out of the group, and the key moves on without them, so they read nothing new.
/// </summary>
public sealed class Membership(AttuneDb db, WriteGate gate, SharedKeys keys, GroupsService groups, IRoomMembership rooms, EventHub hub, TimeProvider clock) : IGroupRemovals
{
    public const string RemovedEvent = "group.removed";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>A member's name as the group sees it, or a kind stand-in when this viewer's key can't open it.</summary>
    public static string NameOf(SharedKey? key, GroupMember m) => TryName(key, m) ?? "A member";

    private static string? TryName(SharedKey? key, GroupMember m)
    {
        if (key is null || m.GroupName is null) return null;
        try { return key.Open(GroupMember.Table, m.Id.ToString(), "groupName", m.GroupName); }
        catch (CryptographicException) { return null; }
    }

    /// <summary>An accepted applicant agrees and becomes a member. Null with no errors: 404.</summary>
    public async Task<(MemberDto? Member, FieldErrors? Errors)> AgreeAsync(string userId, Guid groupId, AgreementInput input, CancellationToken ct = default)
    {
        var place = await groups.PlaceOfAsync(userId, groupId, ct: ct);
        if (place is null) return (null, null);
        var errors = new FieldErrors();
        var name = GroupRules.Clean(input.GroupName);
        if (place.Facilitates) errors.Add("accept", "You facilitate this group; the agreements are yours to hold.");
        else if (place.IsMember) errors.Add("accept", "You've already agreed. You're in this group.");
        else if (place.Application is not { Status: "accepted" }) errors.Add("accept", "The facilitator needs to accept your application first.");
        if (place.Group.ClosedAt is not null) errors.Add("accept", "This group has ended.");
        if (input.Accept != true) errors.Add("accept", "Please read the agreements and say you accept them.");
        if (name is null) errors.Add("groupName", "Please choose the name the group will see. It can be a first name or a nickname.");
        errors.MaxLength("groupName", name, GroupRules.MaxGroupName).PlainText("groupName", name);
        if (errors.Any) return (null, errors);

        var member = new GroupMember
        {
            Id = SequentialGuid.Next(),
            GroupId = groupId,
            UserId = userId,
            Status = "active",
            AgreedAt = Now,
            MeasuresConsent = input.MeasuresConsent ?? false,
        };
        // The member holds the key from now on, without what was written before they came.
        await keys.AddHolderAsync(groupId, userId, withHistory: false, ct);
        var key = await keys.OpenAsync(groupId, userId, ct) ?? throw new InvalidOperationException("The group has no key.");
        member.GroupName = key.Seal(GroupMember.Table, member.Id.ToString(), "groupName", name!);
        db.Add(member);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(member).State = EntityState.Detached;
            return (null, errors.Add("accept", "You've already agreed. You're in this group."));
        }
        foreach (var person in await groups.PeopleAsync(place.Group, ct)) hub.Publish(person, GroupsService.ChangedEvent, groupId);
        return (new MemberDto(member.Id, name!, "member", true), null);
    }

    /// <summary>The facilitator and the active members, by the names the group sees. Null: not theirs to see (404).</summary>
    public async Task<IReadOnlyList<MemberDto>?> ListAsync(string userId, Guid groupId, CancellationToken ct = default)
    {
        var place = await groups.PlaceOfAsync(userId, groupId, ct: ct);
        if (place is not { Involved: true }) return null;
        var key = await keys.OpenAsync(groupId, userId, ct);
        var rows = await db.Set<GroupMember>().AsNoTracking().Where(m => m.GroupId == groupId && m.Status == "active").OrderBy(m => m.AgreedAt).ToListAsync(ct);
        var list = new List<MemberDto> { new(null, place.Group.FacilitatorName, "facilitator", place.Facilitates) };
        list.AddRange(rows.Select(m => new MemberDto(m.Id, NameOf(key, m), "member", m.UserId == userId)));
        return list;
    }

    /// <summary>
    /// The facilitator removes a member (with a reason for them), or a member leaves their own row.
    /// False: no such active member this person may take out (404).
    /// </summary>
    public async Task<(bool Done, FieldErrors? Errors)> LeaveOrRemoveAsync(string userId, Guid groupId, Guid memberId, string? reason, CancellationToken ct = default)
    {
        var g = await db.Set<Group>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == groupId, ct);
        var m = g is null ? null : await db.Set<GroupMember>().FirstOrDefaultAsync(x => x.Id == memberId && x.GroupId == groupId && x.Status == "active", ct);
        if (g is null || m is null) return (false, null);
        var facilitates = g.FacilitatorId == userId;
        if (!facilitates && m.UserId != userId) return (false, null);
        reason = GroupRules.Clean(reason);
        var errors = new FieldErrors().MaxLength("reason", reason, GroupRules.MaxReason).PlainText("reason", reason, multiline: true);
        if (errors.Any) return (false, errors);
        await WithdrawAsync(g, m, facilitates ? "removed" : "left", facilitates ? reason : null, ct);
        return (true, null);
    }

    /// <summary>The room's <c>remove</c>: the same removal, by the facilitator.</summary>
    public async Task<bool> RemoveAsync(string facilitatorId, Guid groupId, Guid memberId, string? reason, CancellationToken ct)
    {
        if (!await db.Set<Group>().AnyAsync(g => g.Id == groupId && g.FacilitatorId == facilitatorId, ct)) return false;
        var (done, errors) = await LeaveOrRemoveAsync(facilitatorId, groupId, memberId, reason, ct);
        return done && errors is null;
    }

    /// <summary>The person's account is going: they leave the group the way anyone leaves it.</summary>
    internal Task LeaveForDeletionAsync(Group g, GroupMember m, CancellationToken ct) => WithdrawAsync(g, m, "left", null, ct);

    /// <summary>
    /// Takes someone out of the group: their words in it go (room posts, witness replies, check-in
    /// words, board posts, the items they shared with the group and what they wrote back on others'), their name goes, the reason is sealed under their own key, the key moves
    /// to a new epoch without them and the others' names are sealed again under it, every open room
    /// drops them, and a removed person gets one <c>group.removed</c>, then nothing more.
    /// </summary>
    private async Task WithdrawAsync(Group g, GroupMember m, string status, string? reason, CancellationToken ct)
    {
        var meetings = db.Set<GroupMeeting>().Where(x => x.GroupId == g.Id).Select(x => x.Id);
        var posts = db.Set<GroupRoomPost>().Where(p => meetings.Contains(p.MeetingId)).Select(p => p.Id);
        var boardPosts = db.Set<GroupBoardPost>().Where(p => p.GroupId == g.Id).Select(p => p.Id);
        using (await gate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Set<GroupRoomWitness>().Where(w => w.AuthorId == m.UserId && posts.Contains(w.PostId)).ExecuteDeleteAsync(ct);
            await db.Set<GroupRoomPost>().Where(p => p.AuthorId == m.UserId && meetings.Contains(p.MeetingId)).ExecuteDeleteAsync(ct);
            await db.Set<GroupRoomCheck>().Where(c => c.UserId == m.UserId && meetings.Contains(c.MeetingId)).ExecuteDeleteAsync(ct);
            await db.Set<GroupBoardWitness>().Where(w => w.AuthorId == m.UserId && boardPosts.Contains(w.PostId)).ExecuteDeleteAsync(ct);
            await db.Set<GroupBoardPost>().Where(p => p.AuthorId == m.UserId && p.GroupId == g.Id).ExecuteDeleteAsync(ct);
            var groupShares = db.Set<Share>().Where(s => EF.Property<Guid?>(s, GroupShareConfig.Link) == g.Id);
            await db.Set<WitnessReflection>().Where(w => w.AuthorId == m.UserId && groupShares.Select(s => s.Id).Contains(w.ShareId)).ExecuteDeleteAsync(ct);
            await groupShares.Where(s => s.OwnerId == m.UserId).ExecuteDeleteAsync(ct);
            m.Status = status;
            m.LeftAt = Now;
            m.GroupName = null;
            m.RemovalReason = reason is null ? null : await db.SealAsync(m.UserId, GroupMember.Table, m.Id.ToString(), "reason", reason, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await keys.RemoveHolderAsync(g.Id, m.UserId, ct);
        await SealNamesAgainAsync(g, ct);
        await rooms.MemberLeftAsync(g.Id, m.UserId, ct);
        if (status == "removed") hub.Publish(m.UserId, RemovedEvent, g.Id);
        foreach (var person in await groups.PeopleAsync(g, ct)) hub.Publish(person, GroupsService.ChangedEvent, g.Id);
    }

    /// <summary>After a rotation, the remaining names, opened with the facilitator's copy, are sealed under the new epoch so a newcomer can read them.</summary>
    private async Task SealNamesAgainAsync(Group g, CancellationToken ct)
    {
        var key = await keys.OpenAsync(g.Id, g.FacilitatorId, ct);
        if (key is null) return;
        var rows = await db.Set<GroupMember>().Where(m => m.GroupId == g.Id && m.Status == "active" && m.GroupName != null).ToListAsync(ct);
        foreach (var m in rows)
            if (TryName(key, m) is { } name) m.GroupName = key.Seal(GroupMember.Table, m.Id.ToString(), "groupName", name);
        await db.SaveChangesAsync(ct);
    }
}
