using Attune.Data;
using Attune.Features.Groups.Attendance;
using Attune.Features.Groups.Board;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Endings;

/// <summary>
/// A group's planned ending: the facilitator closes it (the board turns read-only, and 14 days later
/// everything goes), and each member's own choices about the group (measures, sharing their numbers,
/// hearing about a follow-up cycle).
/// </summary>
public sealed class GroupEndings(AttuneDb db, Insiders insiders, GroupNotices notices, EventHub hub, JobRunner jobs, GroupsService groups, Applications applications, TimeProvider clock)
{
    /// <summary>The facilitator closes the group. Null: not theirs (404); <c>NotYours</c>: a member (403).</summary>
    public async Task<(GroupEndingDto? Ending, bool NotYours)> CloseAsync(string userId, Guid groupId, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { } inside) return (null, false);
        if (!inside.IsFacilitator) return (null, true);
        var group = await db.Set<Group>().AsTracking().FirstAsync(g => g.Id == groupId, ct);
        if (group.ClosedAt is { } already) return (Dto(group.Id, already), false);
        // To the microsecond, as PostgreSQL keeps it, so this answer and every later read agree.
        var utc = clock.GetUtcNow().UtcDateTime;
        var now = new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
        group.ClosedAt = now;
        // The daily retention job may be days away; this one is due the moment the board should go.
        db.Add(new Job { Id = Infrastructure.SequentialGuid.Next(), Kind = GroupJobs.Retention, Subject = groupId, DueAt = now + BoardService.AfterClose });
        await db.SaveChangesAsync(ct);
        jobs.Wake();
        foreach (var holder in inside.Holders) hub.Publish(holder, MeetingAttendance.ChangedEvent, groupId);
        foreach (var member in inside.Members)
            await notices.SendAsync(member.UserId, "Your group has come to its close",
                "A group you're part of has closed. Its board stays open to read for 14 days, and then everything the group wrote goes. Thank you for being there.",
                $"/groups/{groupId}", ct);
        return (Dto(groupId, now), false);
    }

    /// <summary>
    /// The facilitator opens a follow-up cycle (<see cref="Group.FollowsGroupId"/>). Members who said
    /// they'd like one (<see cref="GroupMember.FollowUp"/>) get a place at once, as if invited, and are
    /// told; they become members only when they accept its agreements. Null: not theirs (404).
    /// </summary>
    public async Task<(GroupDto? Group, FieldErrors? Errors, bool NotYours)> FollowUpAsync(string userId, Guid groupId, FollowUpInput input, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { } inside) return (null, null, false);
        if (!inside.IsFacilitator) return (null, null, true);
        var g = inside.Group;
        var (created, errors) = await groups.CreateAsync(userId, new GroupInput(
            string.IsNullOrWhiteSpace(input.Title) ? g.Title : input.Title, g.ForWhom, g.Description, g.Focus, g.Part, g.Language, g.Capacity, g.TimeZone,
            g.MeetingMinutes, g.Join, g.Listed, [.. GroupRules.FromJson(g.Questions)], [.. GroupRules.FromJson(g.Agreements)], g.Retention, input.Meetings, g.FacilitatorName), ct);
        if (errors is not null) return (null, errors, false);
        var next = await db.Set<Group>().AsTracking().FirstAsync(x => x.Id == created!.Id, ct);
        next.FollowsGroupId = groupId;
        await db.SaveChangesAsync(ct);

        foreach (var member in inside.Members.Where(m => m.FollowUp))
            if ((await applications.JoinAsync(member.UserId, next, ct)).Joined is not null)
                await notices.SendAsync(member.UserId, "A new cycle of your group",
                    "A new cycle of a group you were part of is starting, and there's a place for you. If you'd like to join, you'll find it on Attune. There's no pressure either way.",
                    $"/groups/{next.Id}/agreement", ct);
        return (await groups.GetAsync(userId, next.Id, ct), null, false);
    }

    private static GroupEndingDto Dto(Guid id, DateTime closedAt) => new(id, new DateTimeOffset(closedAt), new DateTimeOffset(closedAt + BoardService.AfterClose));

    public async Task<MembershipSettingsDto?> SettingsAsync(string userId, Guid groupId, CancellationToken ct = default) =>
        await db.Set<GroupMember>().AsNoTracking().Where(m => m.GroupId == groupId && m.UserId == userId && m.Status == "active")
            .Select(m => new MembershipSettingsDto(m.Id, m.MeasuresConsent, m.ShareOwnNumbers, m.FollowUp)).FirstOrDefaultAsync(ct);

    /// <summary>A member changes their own choices. Null: not a member of this group (404), the facilitator included.</summary>
    public async Task<(MembershipSettingsDto? Settings, FieldErrors? Errors)> UpdateAsync(string userId, Guid groupId, MembershipInput input, CancellationToken ct = default)
    {
        var member = await db.Set<GroupMember>().AsTracking().FirstOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId && m.Status == "active", ct);
        if (member is null) return (null, null);
        var consent = input.MeasuresConsent ?? member.MeasuresConsent;
        var share = input.ShareOwnNumbers ?? (consent && member.ShareOwnNumbers);
        if (share && !consent)
            return (null, new FieldErrors().Add("shareOwnNumbers", "Your numbers can only reach the facilitator while you take part in the group's check-ins."));
        member.MeasuresConsent = consent;
        member.ShareOwnNumbers = share;
        member.FollowUp = input.FollowUp ?? member.FollowUp;
        await db.SaveChangesAsync(ct);
        return (new MembershipSettingsDto(member.Id, member.MeasuresConsent, member.ShareOwnNumbers, member.FollowUp), null);
    }
}
