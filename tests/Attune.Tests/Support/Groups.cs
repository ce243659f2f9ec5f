using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Groups;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Support;

/// <summary>A group as its facilitator created it: its id and its meetings' ids, in date order.</summary>
public sealed record CreatedGroup(string Id, IReadOnlyList<string> MeetingIds)
{
    public string FirstMeeting => MeetingIds[0];
}

/// <summary>
/// A group written straight to the database, as the group's own services leave it: its meetings in
/// date order (the room's tests use the first), its facilitator, and the members by the names the group sees.
/// </summary>
public sealed record SeededGroup(Guid Id, IReadOnlyList<Guid> Meetings, Person Facilitator, IReadOnlyList<(Person Person, Guid MemberId, string Name)> Members)
{
    /// <summary>The meeting whose room the tests use: the first, unless a test moves on to another.</summary>
    public Guid MeetingId { get; init; } = Meetings[0];

    public string Room => $"/api/v1/groups/{Id}/meetings/{MeetingId}/room";

    public Guid MemberIdOf(Person p) => Members.First(m => m.Person.Id == p.Id).MemberId;
}

/// <summary>
/// What the authorization matrix needs of groups: the owner's unlisted group (joined by invitation),
/// one of its meetings, an active member, a member the destructive block removes, three pending
/// applications (one each for accept, decline and waitlist) and a second group's invitation token.
/// Other parts add the ids their rows need.
/// </summary>
public sealed record GroupCtx(string Id, string MeetingId, string Member, string Removable, IReadOnlyList<string> Applications, string SecondToken, string MemberBoardPost, string OwnerBoardPost)
{
    /// <summary>The first meeting's room.</summary>
    public string Room => $"/api/v1/groups/{Id}/meetings/{MeetingId}/room";
}

/// <summary>
/// Every group test's setup, in small steps that compose. Through the API as people would: a
/// facilitator creates a group, people apply and are accepted (or join by the invitation link), each
/// member accepts the agreements under the name the group sees, the facilitator opens the room, and
/// room events go as the page sends them, with the version the caller expects. Or straight to the
/// database, written the way the group's own services write them (the group's key held by the
/// facilitator and each member, each name sealed under it), for tests that should stand on their own
/// without depending on how a group is applied to and joined.
/// </summary>
public static class Groups
{
    public const string DefaultZone = "Europe/Dublin";

    /// <summary>The body of <c>POST /api/v1/groups</c>, with every field a test may want to change.</summary>
    public static object Body(string title = "Meeting your younger self", int capacity = 8, string join = "invite", bool listed = false,
        int meetings = 3, DateTime? firstLocal = null, string timeZone = DefaultZone, string[]? questions = null, string retention = "meeting",
        int? part = null, string language = "en", string forWhom = "Adults who want to meet their younger self gently, in company",
        string? facilitatorName = "Noor", string[]? agreements = null, int minutes = 90)
    {
        var first = firstLocal ?? DateTime.UtcNow.Date.AddDays(2).AddHours(19);
        return new
        {
            title,
            forWhom,
            description = "Six evenings of rounds with a talking piece. We listen; nobody fixes.",
            focus = "meeting your younger self",
            part,
            language,
            capacity,
            timeZone,
            meetingMinutes = minutes,
            join,
            listed,
            retention,
            facilitatorName,
            questions = questions ?? [],
            agreements,
            meetings = Enumerable.Range(0, meetings).Select(i => new { startsAt = Local(first.AddDays(7 * i)), minutes }).ToArray(),
        };
    }

    /// <summary>A local time in the group's zone as the API takes it: no offset.</summary>
    public static string Local(DateTime local) => local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Creates a group (by default unlisted, joined by invitation, three weekly meetings from the day after tomorrow).</summary>
    public static async Task<CreatedGroup> CreateGroupAsync(Person facilitator, object? body = null)
    {
        var created = await facilitator.Api.PostAsJsonAsync("/api/v1/groups", body ?? Body());
        var id = JsonDocument.Parse(await Expect.StatusAsync(created, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        return new CreatedGroup(id, await MeetingIdsAsync(facilitator, id));
    }

    public static async Task<IReadOnlyList<string>> MeetingIdsAsync(Person someone, string groupId)
    {
        var meetings = await someone.Api.GetAsync($"/api/v1/groups/{groupId}/meetings");
        return [.. JsonDocument.Parse(await Expect.StatusAsync(meetings, HttpStatusCode.OK)).RootElement.GetProperty("items").EnumerateArray()
            .Select(m => m.GetProperty("id").GetString()!)];
    }

    /// <summary>Applies with one answer per question of the group; returns the application's id.</summary>
    public static async Task<string> ApplyAsync(Person applicant, string groupId, string[]? answers = null, bool shareMeasures = false, bool therapistKnows = false)
    {
        if (answers is null)
        {
            var group = JsonDocument.Parse(await Expect.StatusAsync(await applicant.Api.GetAsync($"/api/v1/groups/{groupId}"), HttpStatusCode.OK)).RootElement;
            answers = [.. group.GetProperty("questions").EnumerateArray().Select(_ => "Because I would like to be heard")];
        }
        var applied = await applicant.Api.PostAsJsonAsync($"/api/v1/groups/{groupId}/applications", new { answers, shareMeasures, therapistKnows });
        return JsonDocument.Parse(await Expect.StatusAsync(applied, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task AcceptAsync(Person facilitator, string groupId, string applicationId) =>
        await Expect.StatusAsync(await facilitator.Api.PostAsync($"/api/v1/groups/{groupId}/applications/{applicationId}/accept", null), HttpStatusCode.OK);

    /// <summary>An accepted applicant accepts the agreements under <paramref name="groupName"/>; returns their member id.</summary>
    public static async Task<string> AgreeAsync(Person member, string groupId, string groupName, bool measuresConsent = false)
    {
        var agreed = await member.Api.PostAsJsonAsync($"/api/v1/groups/{groupId}/agreement", new { accept = true, groupName, measuresConsent });
        return JsonDocument.Parse(await Expect.StatusAsync(agreed, HttpStatusCode.Created)).RootElement.GetProperty("memberId").GetString()!;
    }

    /// <summary>Apply, accept, agree: <paramref name="member"/> is an active member. Returns their member id.</summary>
    public static async Task<string> JoinAsMemberAsync(Person facilitator, Person member, string groupId, string groupName)
    {
        var applicationId = await ApplyAsync(member, groupId);
        await AcceptAsync(facilitator, groupId, applicationId);
        return await AgreeAsync(member, groupId, groupName);
    }

    /// <summary>The group's invitation link, as its facilitator makes it: the token at its end. A new link retires the one before.</summary>
    public static async Task<string> InvitationTokenAsync(Person facilitator, string groupId)
    {
        var link = await facilitator.Api.PostAsync($"/api/v1/groups/{groupId}/invitation-link", null);
        return JsonDocument.Parse(await Expect.StatusAsync(link, HttpStatusCode.OK)).RootElement.GetProperty("url").GetString()!.Split('/')[^1];
    }

    /// <summary>Joins by the invitation link and accepts the agreements under <paramref name="groupName"/>; returns the member id.</summary>
    public static async Task<string> JoinByLinkAsync(Person member, string groupId, string token, string groupName, bool measuresConsent = false)
    {
        await Expect.StatusAsync(await member.Api.PostAsync($"/api/v1/groups/join/{token}", null), HttpStatusCode.OK);
        return await AgreeAsync(member, groupId, groupName, measuresConsent);
    }

    /// <summary>Invite, join, agree: the facilitator makes a link and <paramref name="member"/> joins by it under <paramref name="groupName"/>. Returns their member id.</summary>
    public static async Task<string> InviteAsync(Person facilitator, Person member, string groupId, string groupName, bool measuresConsent = false) =>
        await JoinByLinkAsync(member, groupId, await InvitationTokenAsync(facilitator, groupId), groupName, measuresConsent);

    /// <summary>The room's current version, as this person sees it.</summary>
    public static async Task<long> RoomVersionAsync(Person someone, string groupId, string meetingId)
    {
        var room = await someone.Api.GetAsync($"/api/v1/groups/{groupId}/meetings/{meetingId}/room");
        return JsonDocument.Parse(await Expect.StatusAsync(room, HttpStatusCode.OK)).RootElement.GetProperty("version").GetInt64();
    }

    /// <summary>The facilitator opens the meeting's room; returns the version after opening.</summary>
    public static async Task<long> OpenRoomAsync(Person facilitator, string groupId, string meetingId)
    {
        var version = await RoomVersionAsync(facilitator, groupId, meetingId);
        return await NextVersionAsync(facilitator, groupId, meetingId, "open", version);
    }

    /// <summary>Posts one room event; <paramref name="extra"/> adds its fields (e.g. <c>new { text = "…" }</c>).</summary>
    public static Task<HttpResponseMessage> EventAsync(Person person, string groupId, string meetingId, string type, long expectedVersion, object? extra = null) =>
        PostEventAsync(person, $"/api/v1/groups/{groupId}/meetings/{meetingId}/room", type, expectedVersion, extra);

    /// <summary>Posts one room event to a seeded group's room; <paramref name="extra"/> adds its fields.</summary>
    public static Task<HttpResponseMessage> EventAsync(Person person, SeededGroup g, string type, long expectedVersion, object? extra = null) =>
        PostEventAsync(person, g.Room, type, expectedVersion, extra);

    /// <summary>Posts a room event that must be accepted; returns the room's version after it.</summary>
    public static async Task<long> NextVersionAsync(Person person, string groupId, string meetingId, string type, long expectedVersion, object? extra = null) =>
        JsonDocument.Parse(await Expect.StatusAsync(await EventAsync(person, groupId, meetingId, type, expectedVersion, extra), HttpStatusCode.OK))
            .RootElement.GetProperty("version").GetInt64();

    /// <summary>Sends an event to a seeded group's room that must be accepted; returns the caller's view after it.</summary>
    public static async Task<JsonElement> AcceptedAsync(Person person, SeededGroup g, string type, long expectedVersion, object? extra = null) =>
        JsonDocument.Parse(await Expect.StatusAsync(await EventAsync(person, g, type, expectedVersion, extra), HttpStatusCode.OK)).RootElement;

    /// <summary>A seeded group's room, as this person sees it.</summary>
    public static async Task<JsonElement> RoomAsync(Person person, SeededGroup g) =>
        JsonDocument.Parse(await Expect.StatusAsync(await person.Api.GetAsync(g.Room), HttpStatusCode.OK)).RootElement;

    private static Task<HttpResponseMessage> PostEventAsync(Person person, string room, string type, long expectedVersion, object? extra)
    {
        var body = new Dictionary<string, object?> { ["type"] = type, ["expectedVersion"] = expectedVersion };
        if (extra is not null)
            foreach (var p in JsonSerializer.SerializeToElement(extra, JsonOptions).EnumerateObject())
                body[p.Name] = p.Value;
        return person.Api.PostAsJsonAsync($"{room}/events", body);
    }

    /// <summary>Sets up <see cref="GroupCtx"/> for <paramref name="owner"/>: everyone else is made here.</summary>
    public static async Task<GroupCtx> MatrixAsync(AttuneApp app, Person owner)
    {
        // Applying needs a group people can find: list it for a moment (approved by hand), then make it
        // unlisted and invitation-only, which leaves the applications pending.
        var group = await CreateGroupAsync(owner, Body(capacity: 8, join: "apply", questions: ["What brings you here?"]));
        await app.WithDbAsync(async db =>
        {
            var row = await db.Set<Group>().FindAsync(Guid.Parse(group.Id));
            row!.Listed = true;
            row.ApprovedAt = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });
        var member = await app.RegisterAsync("A Group Member");
        var memberId = await JoinAsMemberAsync(owner, member, group.Id, "Wren");
        var removable = await app.RegisterAsync("A Member Who Goes");
        var removableId = await JoinAsMemberAsync(owner, removable, group.Id, "Ash");
        var applications = new List<string>();
        for (var i = 0; i < 3; i++) applications.Add(await ApplyAsync(await app.RegisterAsync($"Applicant {i}"), group.Id));
        await Expect.StatusAsync(await owner.Api.PatchAsJsonAsync($"/api/v1/groups/{group.Id}", new { listed = false, join = "invite" }), HttpStatusCode.OK);

        var other = await app.RegisterAsync("Another Facilitator");
        var second = await CreateGroupAsync(other, Body(title: "A second group"));
        var token = await InvitationTokenAsync(other, second.Id);
        var memberPost = await BoardPostAsync(member, group.Id, "Thinking of you all this week.");
        var ownerPost = await BoardPostAsync(owner, group.Id, "Our next meeting is on Tuesday.");
        return new GroupCtx(group.Id, group.FirstMeeting, memberId, removableId, applications, token, memberPost, ownerPost);
    }

    /// <summary>A post on the group's board; its id.</summary>
    public static async Task<string> BoardPostAsync(Person author, string groupId, string text) =>
        (await PostOnBoardAsync(author, groupId, text)).GetProperty("id").GetString()!;

    /// <summary>A post on the group's board, as the board answers it (its id, author, and any safety answer).</summary>
    public static async Task<JsonElement> PostOnBoardAsync(Person author, string groupId, string text) =>
        JsonDocument.Parse(await Expect.StatusAsync(await author.Api.PostAsJsonAsync($"/api/v1/groups/{groupId}/board", new { text }), HttpStatusCode.Created)).RootElement;

    /// <summary>A post on a seeded group's board, as the board answers it.</summary>
    public static Task<JsonElement> PostOnBoardAsync(Person author, Guid groupId, string text) => PostOnBoardAsync(author, groupId.ToString(), text);

    // ---- Written straight to the database, as the group's own services write it ----

    /// <summary>
    /// A group facilitated by <paramref name="facilitator"/>, its key held by them, with weekly
    /// meetings from <paramref name="firstStart"/> (default: two days from now) and nobody in it yet.
    /// </summary>
    public static Task<SeededGroup> SeedGroupAsync(AttuneApp app, Person facilitator, string title = "Meeting your younger self", string facilitatorName = "Noor",
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
                ForWhom = "Adults who want to meet their younger self gently, in company",
                Description = "Rounds with a talking piece. We listen; nobody fixes.",
                Focus = "meeting your younger self",
                Capacity = 8,
                TimeZone = DefaultZone,
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
            return new SeededGroup(g.Id, ids, facilitator, []);
        });

    /// <summary>
    /// <paramref name="person"/> becomes an active member under <paramref name="groupName"/>, holding the
    /// group's key (agreed now, or at <paramref name="agreedAt"/>); returns their member id.
    /// </summary>
    public static Task<Guid> SeedMemberAsync(AttuneApp app, Guid groupId, Person person, string groupName, bool measuresConsent = false, bool shareOwnNumbers = false,
        DateTime? agreedAt = null) =>
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
                AgreedAt = agreedAt ?? app.Clock.GetUtcNow().UtcDateTime,
                MeasuresConsent = measuresConsent,
                ShareOwnNumbers = shareOwnNumbers,
            };
            m.GroupName = key.Seal(GroupMember.Table, m.Id.ToString(), "groupName", groupName);
            db.Add(m);
            await db.SaveChangesAsync();
            return m.Id;
        });

    /// <summary>
    /// A group for the room's tests: one meeting starting <paramref name="startsIn"/> from now (by
    /// default it began five minutes ago) and <paramref name="members"/> by the names the group sees,
    /// each agreed a moment after the one before.
    /// </summary>
    public static async Task<SeededGroup> SeedRoomAsync(AttuneApp app, Person facilitator, IReadOnlyList<(Person Person, string Name)> members, TimeSpan? startsIn = null)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var group = await SeedGroupAsync(app, facilitator, meetings: 1, firstStart: now + (startsIn ?? TimeSpan.FromMinutes(-5)));
        var seeded = new List<(Person, Guid, string)>();
        foreach (var (person, name) in members)
        {
            seeded.Add((person, await SeedMemberAsync(app, group.Id, person, name, agreedAt: now), name));
            now = now.AddMilliseconds(1);
        }
        return group with { Members = seeded };
    }

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
    public static Task ClosedRoomAsync(AttuneApp app, Guid groupId, Guid meetingId) =>
        InScopeAsync(app, async (db, _) =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var room = await db.Set<GroupRoom>().AsTracking().FirstOrDefaultAsync(r => r.MeetingId == meetingId);
            if (room is null) db.Add(room = new GroupRoom { MeetingId = meetingId, GroupId = groupId, OpenedAt = now });
            room.ClosedAt = now;
            room.CloseReason = "facilitator";
            db.Add(new Job { Id = SequentialGuid.Next(), Kind = GroupJobs.Closed, Subject = meetingId, DueAt = now });
            return await db.SaveChangesAsync();
        });

    /// <summary>What the room writes for a share: the post sealed under the group's key, and the author's check-in beside it.</summary>
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

    private static async Task<T> InScopeAsync<T>(AttuneApp app, Func<AttuneDb, SharedKeys, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<AttuneDb>(), scope.ServiceProvider.GetRequiredService<SharedKeys>());
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
