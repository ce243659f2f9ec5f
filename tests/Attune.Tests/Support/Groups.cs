using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Attune.Tests.Support;

/// <summary>A group as its facilitator created it: its id and its meetings' ids, in date order.</summary>
public sealed record CreatedGroup(string Id, IReadOnlyList<string> MeetingIds)
{
    public string FirstMeeting => MeetingIds[0];
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
/// Groups set up through the API as people would: a facilitator creates one, people apply, the
/// facilitator accepts, each member accepts the agreements under the name the group sees. The room
/// helpers post events as the page does, with the version the caller expects.
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
        var opened = await EventAsync(facilitator, groupId, meetingId, "open", version);
        return JsonDocument.Parse(await Expect.StatusAsync(opened, HttpStatusCode.OK)).RootElement.GetProperty("version").GetInt64();
    }

    /// <summary>Posts one room event; <paramref name="extra"/> adds its fields (e.g. <c>new { text = "…" }</c>).</summary>
    public static Task<HttpResponseMessage> EventAsync(Person person, string groupId, string meetingId, string type, long expectedVersion, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["type"] = type, ["expectedVersion"] = expectedVersion };
        if (extra is not null)
            foreach (var p in JsonSerializer.SerializeToElement(extra, JsonOptions).EnumerateObject())
                body[p.Name] = p.Value;
        return person.Api.PostAsJsonAsync($"/api/v1/groups/{groupId}/meetings/{meetingId}/room/events", body);
    }

    /// <summary>Sets up <see cref="GroupCtx"/> for <paramref name="owner"/>: everyone else is made here.</summary>
    public static async Task<GroupCtx> MatrixAsync(AttuneApp app, Person owner)
    {
        // Applying needs a group people can find: list it for a moment (approved by hand), then make it
        // unlisted and invitation-only, which leaves the applications pending.
        var group = await CreateGroupAsync(owner, Body(capacity: 8, join: "apply", questions: ["What brings you here?"]));
        await app.WithDbAsync(async db =>
        {
            var row = await db.Set<Attune.Features.Groups.Group>().FindAsync(Guid.Parse(group.Id));
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
        var link = await other.Api.PostAsync($"/api/v1/groups/{second.Id}/invitation-link", null);
        var url = JsonDocument.Parse(await Expect.StatusAsync(link, HttpStatusCode.OK)).RootElement.GetProperty("url").GetString()!;
        var memberPost = await BoardPostAsync(member, group.Id, "Thinking of you all this week.");
        var ownerPost = await BoardPostAsync(owner, group.Id, "Our next meeting is on Tuesday.");
        return new GroupCtx(group.Id, group.FirstMeeting, memberId, removableId, applications, url.Split('/')[^1], memberPost, ownerPost);
    }

    /// <summary>A post on the group's board; its id.</summary>
    public static async Task<string> BoardPostAsync(Person author, string groupId, string text)
    {
        var response = await author.Api.PostAsJsonAsync($"/api/v1/groups/{groupId}/board", new { text });
        return JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
