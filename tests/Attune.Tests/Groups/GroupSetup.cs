using Attune.Data;
using Attune.Features.Groups;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Groups;

/// <summary>
/// Groups as the between-meetings tests need them, written the way the group's own services write
/// them (a key held by the facilitator, each member added as a holder with their group name sealed
/// under it, leaving rotating the key), so these tests exercise the board, sharing, attendance,
/// endings and measures through HTTP without depending on how a group is applied to and joined.
/// </summary>
internal static class GroupSetup
{
    public sealed record Made(Guid Id, IReadOnlyList<Guid> Meetings);

    private static async Task<T> InScopeAsync<T>(AttuneApp app, Func<AttuneDb, SharedKeys, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<AttuneDb>(), scope.ServiceProvider.GetRequiredService<SharedKeys>());
    }

    /// <summary>A group facilitated by <paramref name="facilitator"/>, with weekly meetings from <paramref name="firstStart"/> (default: two days from now).</summary>
    public static Task<Made> GroupAsync(AttuneApp app, Person facilitator, string title = "Evenings of listening", string facilitatorName = "Noor",
        string retention = "meeting", int meetings = 3, DateTime? firstStart = null) =>
        InScopeAsync(app, async (db, keys) =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var g = new Group
            {
                Id = SequentialGuid.Next(),
                FacilitatorId = facilitator.Id,
                FacilitatorName = facilitatorName,
                Title = title,
                ForWhom = "Adults meeting their younger self",
                Description = "Rounds with a talking piece.",
                Focus = "meeting your younger self",
                Capacity = 8,
                TimeZone = "Europe/Dublin",
                MeetingMinutes = 90,
                Join = "invite",
                Retention = retention,
                CreatedAt = now,
            };
            db.Add(g);
            var first = firstStart ?? now.AddDays(2);
            var ids = new List<Guid>();
            for (var i = 0; i < meetings; i++)
            {
                var m = new GroupMeeting { Id = SequentialGuid.Next(), GroupId = g.Id, Number = i + 1, StartsAt = first.AddDays(7 * i), Minutes = 90 };
                db.Add(m);
                ids.Add(m.Id);
            }
            await db.SaveChangesAsync();
            await keys.CreateAsync(g.Id, [facilitator.Id]);
            return new Made(g.Id, ids);
        });

    /// <summary><paramref name="person"/> becomes an active member under <paramref name="groupName"/>; returns their member id.</summary>
    public static Task<Guid> MemberAsync(AttuneApp app, Guid groupId, Person person, string groupName, bool measuresConsent = false, bool shareOwnNumbers = false) =>
        InScopeAsync(app, async (db, keys) =>
        {
            await keys.AddHolderAsync(groupId, person.Id);
            var key = (await keys.OpenAsync(groupId, person.Id))!;
            var m = new GroupMember
            {
                Id = SequentialGuid.Next(),
                GroupId = groupId,
                UserId = person.Id,
                Status = "active",
                AgreedAt = app.Clock.GetUtcNow().UtcDateTime,
                MeasuresConsent = measuresConsent,
                ShareOwnNumbers = shareOwnNumbers,
            };
            m.GroupName = key.Seal(GroupMember.Table, m.Id.ToString(), "groupName", groupName);
            db.Add(m);
            await db.SaveChangesAsync();
            return m.Id;
        });

    /// <summary>The person leaves: no longer active, their name cleared, and the key rotated without them.</summary>
    public static Task LeaveAsync(AttuneApp app, Guid groupId, Person person) =>
        InScopeAsync(app, async (db, keys) =>
        {
            var m = await db.Set<GroupMember>().AsTracking().SingleAsync(x => x.GroupId == groupId && x.UserId == person.Id);
            m.Status = "left";
            m.GroupName = null;
            m.LeftAt = app.Clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync();
            return await keys.RemoveHolderAsync(groupId, person.Id);
        });

    /// <summary>What the room writes when someone checks in: they came.</summary>
    public static Task CameAsync(AttuneApp app, Guid meetingId, Person person) =>
        InScopeAsync(app, async (db, _) =>
        {
            var row = await db.Set<GroupAttendance>().AsTracking().FirstOrDefaultAsync(a => a.MeetingId == meetingId && a.UserId == person.Id);
            if (row is null) db.Add(row = new GroupAttendance { MeetingId = meetingId, UserId = person.Id });
            row.CameAt = app.Clock.GetUtcNow().UtcDateTime;
            return await db.SaveChangesAsync();
        });

    /// <summary>What the room writes when it closes: its row closed, and <c>groups.closed</c> queued for the meeting.</summary>
    public static Task ClosedRoomAsync(AttuneApp app, Guid groupId, Guid meetingId, string? prompt = null) =>
        InScopeAsync(app, async (db, keys) =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var room = await db.Set<GroupRoom>().AsTracking().FirstOrDefaultAsync(r => r.MeetingId == meetingId);
            if (room is null) db.Add(room = new GroupRoom { MeetingId = meetingId, GroupId = groupId, OpenedAt = now });
            room.ClosedAt = now;
            room.CloseReason = "facilitator";
            db.Add(new Job { Id = SequentialGuid.Next(), Kind = GroupJobs.Closed, Subject = meetingId, DueAt = now });
            return await db.SaveChangesAsync();
        });

    /// <summary>A room post, sealed under the group's key as the room seals it.</summary>
    public static Task<Guid> RoomPostAsync(AttuneApp app, Guid groupId, Guid meetingId, Person author, string text) =>
        InScopeAsync(app, async (db, keys) =>
        {
            var key = (await keys.OpenAsync(groupId, author.Id))!;
            var p = new GroupRoomPost { Id = SequentialGuid.Next(), MeetingId = meetingId, AuthorId = author.Id, Round = 1, CreatedAt = app.Clock.GetUtcNow().UtcDateTime };
            p.Body = key.Seal(GroupRoomPost.Table, p.Id.ToString(), "body", text);
            db.Add(p);
            db.Add(new GroupRoomCheck { MeetingId = meetingId, UserId = author.Id, Kind = "in", Suds = 4, Word = key.Seal(GroupRoomCheck.Table, $"{meetingId}:{author.Id}:in", "word", "tired"), At = p.CreatedAt });
            await db.SaveChangesAsync();
            return p.Id;
        });

    public static Task<T> DbAsync<T>(AttuneApp app, Func<AttuneDb, Task<T>> work) => app.WithDbAsync(work);
}
