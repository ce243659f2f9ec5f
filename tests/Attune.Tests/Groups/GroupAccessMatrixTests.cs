using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Infrastructure.Live;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace Attune.Tests.Groups;

/// <summary>
/// Every group endpoint and page, called as each of the six people a group knows: its facilitator,
/// a member, an applicant whose application is pending, a member who was removed, a stranger
/// (signed in, no relation) and someone not signed in. Anyone not inside gets 404, never a 403 that
/// would say the group is there; the public exceptions are the directory, a listed group's own
/// page (and its apply page), and the join page of a link someone holds. Not signed in: 401 on the
/// API, a redirect to sign in on pages. A group endpoint or page missing from the table fails the
/// test. Then the removed member's live stream: nothing about the group after removal.
/// </summary>
public sealed class GroupAccessMatrixTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private enum Role { Facilitator, Member, Applicant, Removed, Stranger, Anonymous }

    private static readonly Role[] Roles = Enum.GetValues<Role>();

    /// <summary>
    /// One row: the route as mapped, how each role calls it, and the expected status for each role
    /// in <see cref="Roles"/> order (F M A R S N). A page's 302 must lead to sign-in.
    /// </summary>
    private sealed record Row(string Method, string Route, Func<Ctx, Role, Task<HttpRequestMessage>> Request, string Expected)
    {
        public HttpStatusCode For(Role role) => (HttpStatusCode)int.Parse(Expected.Split(' ', StringSplitOptions.RemoveEmptyEntries)[(int)role], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The group and the ids the rows need. <c>M2</c> is a second member whose things the first member may not touch.</summary>
    private sealed record Ctx(string Id, string Meeting, string MemberId, string Member2Id, string GonerId, string RemovedId, string ApplicationId,
        IReadOnlyList<string> Spare, string MemberRoomPost, string Member2BoardPost, string FacilitatorBoardPost, string Token, Person Facilitator)
    {
        public string Api => $"/api/v1/groups/{Id}";
        public string Room => $"{Api}/meetings/{Meeting}/room";
    }

    private static Task<HttpRequestMessage> Get(string url) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, url));

    private static Task<HttpRequestMessage> Send(HttpMethod method, string url, object? body = null) =>
        Task.FromResult(new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) });

    private static Row R(string method, string route, Func<Ctx, Role, Task<HttpRequestMessage>> request, string expected) => new(method, route, request, expected);

    private static Row Page(string route, Func<Ctx, string> url, string expected) => new("PAGE", route, (c, _) => Get(url(c)), expected);

    // Mutating rows come last, the group's close and follow-up at the very end.
    private static readonly Row[] Table =
    [
        // ---- the group and its people ----
        R("GET", "/api/v1/groups", (_, _) => Get("/api/v1/groups?q=listening"), "200 200 200 200 200 200"),
        R("GET", "/api/v1/groups/mine", (_, _) => Get("/api/v1/groups/mine"), "200 200 200 200 200 401"),
        // A listed group's offering is public to anyone signed in (the directory shows it anyway).
        R("GET", "/api/v1/groups/{id:guid}", (c, _) => Get(c.Api), "200 200 200 200 200 401"),
        R("GET", "/api/v1/groups/{id:guid}/applications", (c, _) => Get($"{c.Api}/applications"), "200 404 404 404 404 401"),
        R("GET", "/api/v1/groups/{id:guid}/members", (c, _) => Get($"{c.Api}/members"), "200 200 404 404 404 401"),
        R("GET", "/api/v1/groups/{id:guid}/meetings", (c, _) => Get($"{c.Api}/meetings"), "200 200 404 404 404 401"),
        R("GET", "/api/v1/groups/{id:guid}/calendar", (c, _) => Get($"{c.Api}/calendar?title=true"), "200 200 404 404 404 401"),
        R("GET", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/calendar", (c, _) => Get($"{c.Api}/meetings/{c.Meeting}/calendar"), "200 200 404 404 404 401"),
        // Applying with no answer to the group's one question: a field error for anyone who may see the listed group.
        R("POST", "/api/v1/groups/{id:guid}/applications", (c, _) => Send(HttpMethod.Post, $"{c.Api}/applications", new { answers = Array.Empty<string>() }), "400 400 400 400 400 401"),
        // Everyone but the facilitator tries the applicant's own application; the facilitator answers a spare one.
        R("POST", "/api/v1/groups/{id:guid}/applications/{appId:guid}/accept",
            (c, r) => Send(HttpMethod.Post, $"{c.Api}/applications/{(r == Role.Facilitator ? c.Spare[0] : c.ApplicationId)}/accept"), "200 404 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/applications/{appId:guid}/decline",
            (c, r) => Send(HttpMethod.Post, $"{c.Api}/applications/{(r == Role.Facilitator ? c.Spare[1] : c.ApplicationId)}/decline", new { note = "Not this time" }), "200 404 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/applications/{appId:guid}/waitlist",
            (c, r) => Send(HttpMethod.Post, $"{c.Api}/applications/{(r == Role.Facilitator ? c.Spare[2] : c.ApplicationId)}/waitlist"), "200 404 404 404 404 401"),
        // Agreeing: the facilitator, a member and a pending applicant are told why not; on a listed group so is anyone who can see it.
        R("POST", "/api/v1/groups/{id:guid}/agreement", (c, _) => Send(HttpMethod.Post, $"{c.Api}/agreement", new { accept = true, groupName = "Me" }), "400 400 400 400 400 401"),
        // The group's own link: the facilitator, a member and the removed member can't use it; the others try a link nobody made.
        R("POST", "/api/v1/groups/join/{token}", (c, r) => Send(HttpMethod.Post, $"/api/v1/groups/join/{(r is Role.Applicant or Role.Stranger ? "no-such-link-" + r : c.Token)}"), "400 400 404 400 404 401"),

        // ---- the private word: the facilitator and the member it is with; another member's is not mine ----
        R("GET", "/api/v1/groups/{id:guid}/members/{memberId:guid}/messages", (c, _) => Get($"{c.Api}/members/{c.MemberId}/messages"), "200 200 404 404 404 401"),
        R("GET", "/api/v1/groups/{id:guid}/members/{memberId:guid}/messages", (c, _) => Get($"{c.Api}/members/{c.Member2Id}/messages"), "200 404 404 404 404 401"),
        R("GET", "/api/v1/groups/{id:guid}/members/{memberId:guid}/messages", (c, _) => Get($"{c.Api}/members/{c.RemovedId}/messages"), "404 404 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/members/{memberId:guid}/messages", (c, _) => Send(HttpMethod.Post, $"{c.Api}/members/{c.MemberId}/messages", new { text = "Checking in after tonight." }), "201 201 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/members/{memberId:guid}/messages", (c, _) => Send(HttpMethod.Post, $"{c.Api}/members/{c.Member2Id}/messages", new { text = "Hello" }), "201 404 404 404 404 401"),

        // ---- the room ----
        R("GET", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/room", (c, _) => Get(c.Room), "200 200 404 404 404 401"),
        // Witnessing the member's share: the facilitator may; its author may not (a kind 403 to someone inside); nobody outside learns the room is there.
        R("POST", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/room/events", async (c, _) =>
            new HttpRequestMessage(HttpMethod.Post, c.Room + "/events")
            {
                Content = JsonContent.Create(new { type = "witness", kind = "hear", postId = c.MemberRoomPost, expectedVersion = await Support.Groups.RoomVersionAsync(c.Facilitator, c.Id, c.Meeting) }),
            }, "200 403 404 404 404 401"),
        // Only one's own share goes to one's journal.
        R("POST", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/room/posts/{postId:guid}/journal", (c, _) => Send(HttpMethod.Post, $"{c.Room}/posts/{c.MemberRoomPost}/journal"), "404 201 404 404 404 401"),

        // ---- the board, attendance, membership, measures ----
        R("GET", "/api/v1/groups/{id:guid}/board", (c, _) => Get($"{c.Api}/board"), "200 200 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/board", (c, _) => Send(HttpMethod.Post, $"{c.Api}/board", new { text = "Glad to be here" }), "201 201 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/board/{postId:guid}/witness", (c, _) => Send(HttpMethod.Post, $"{c.Api}/board/{c.Member2BoardPost}/witness", new { kind = "hear" }), "200 200 404 404 404 401"),
        R("PUT", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/attendance", (c, _) => Send(HttpMethod.Put, $"{c.Api}/meetings/{c.Meeting}/attendance", new { coming = true }), "400 200 404 404 404 401"),
        R("PATCH", "/api/v1/groups/{id:guid}/membership", (c, _) => Send(HttpMethod.Patch, $"{c.Api}/membership", new { followUp = true }), "404 200 404 404 404 401"),
        R("GET", "/api/v1/groups/{id:guid}/measures", (c, _) => Get($"{c.Api}/measures"), "200 200 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/measures", (c, _) => Send(HttpMethod.Post, $"{c.Api}/measures", new { checkInId = Guid.NewGuid() }), "400 400 404 404 404 401"),

        // ---- pages ----
        Page("/groups", _ => "/groups?q=listening", "200 200 200 200 200 200"),
        Page("/groups/{id:guid}", c => $"/groups/{c.Id}", "200 200 200 200 200 200"),
        Page("/groups/mine", _ => "/groups/mine", "200 200 200 200 200 302"),
        Page("/groups/new", _ => "/groups/new", "200 200 200 200 200 302"),
        Page("/groups/{id:guid}/edit", c => $"/groups/{c.Id}/edit", "200 404 404 404 404 302"),
        // Only someone with no place in a listed group is offered the form (the removed member is told why not when they send it).
        Page("/groups/{id:guid}/apply", c => $"/groups/{c.Id}/apply", "404 404 404 200 200 302"),
        Page("/groups/{id:guid}/applications", c => $"/groups/{c.Id}/applications", "200 404 404 404 404 302"),
        Page("/groups/{id:guid}/agreement", c => $"/groups/{c.Id}/agreement", "404 200 200 404 404 302"),
        Page("/groups/{id:guid}/manage", c => $"/groups/{c.Id}/manage", "200 404 404 404 404 302"),
        Page("/groups/{id:guid}/meetings", c => $"/groups/{c.Id}/meetings", "200 200 404 404 404 302"),
        Page("/groups/{id:guid}/meetings/{meetingId:guid}", c => $"/groups/{c.Id}/meetings/{c.Meeting}", "200 200 404 404 404 302"),
        Page("/groups/{id:guid}/meetings/{meetingId:guid}/attendance", c => $"/groups/{c.Id}/meetings/{c.Meeting}/attendance", "200 200 404 404 404 302"),
        Page("/groups/{id:guid}/members/{memberId:guid}/messages", c => $"/groups/{c.Id}/members/{c.MemberId}/messages", "200 200 404 404 404 302"),
        Page("/groups/{id:guid}/board", c => $"/groups/{c.Id}/board", "200 200 404 404 404 302"),
        Page("/groups/{id:guid}/measures", c => $"/groups/{c.Id}/measures", "200 200 404 404 404 302"),
        Page("/groups/{id:guid}/ending", c => $"/groups/{c.Id}/ending", "200 404 404 404 404 302"),
        // Whoever holds a link sees the group's title and what it keeps, never who sent it.
        Page("/groups/join/{token}", c => $"/groups/join/{c.Token}", "200 200 200 200 200 200"),
        Page("/admin/groups", _ => "/admin/groups", "404 404 404 404 404 302"),

        // ---- changes that stay: made last ----
        R("POST", "/api/v1/groups", (_, _) => Send(HttpMethod.Post, "/api/v1/groups", Support.Groups.Body(title: "A group of my own")), "201 201 201 201 201 401"),
        R("PATCH", "/api/v1/groups/{id:guid}", (c, _) => Send(HttpMethod.Patch, c.Api, new { description = "Evenings of listening, a little clearer." }), "200 404 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/invitation-link", (c, _) => Send(HttpMethod.Post, $"{c.Api}/invitation-link"), "200 404 404 404 404 401"),
        // Someone else's board post: a member inside is told kindly it isn't theirs; the facilitator may take any post down.
        R("DELETE", "/api/v1/groups/{id:guid}/board/{postId:guid}", (c, r) => Send(HttpMethod.Delete, $"{c.Api}/board/{(r == Role.Facilitator ? c.Member2BoardPost : c.FacilitatorBoardPost)}"), "204 403 404 404 404 401"),
        // Another member's place: only the facilitator may remove them (the member tries the second member's).
        R("DELETE", "/api/v1/groups/{id:guid}/members/{memberId:guid}",
            (c, r) => Send(HttpMethod.Delete, $"{c.Api}/members/{(r == Role.Facilitator ? c.GonerId : c.Member2Id)}", new { reason = "Thank you for coming" }), "204 404 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/close", (c, _) => Send(HttpMethod.Post, $"{c.Api}/close"), "200 403 404 404 404 401"),
        R("POST", "/api/v1/groups/{id:guid}/follow-up", (c, _) => Send(HttpMethod.Post, $"{c.Api}/follow-up",
            new { meetings = new[] { new { startsAt = Support.Groups.Local(DateTime.UtcNow.Date.AddDays(30).AddHours(19)), minutes = 90 } } }), "201 403 404 404 404 401"),
    ];

    [Fact]
    public void EveryGroupEndpointAndPage_IsInTheTable_AndTheTableHasNothingElse()
    {
        var mapped = new HashSet<string>();
        foreach (var endpoint in app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (!IsGroups(route)) continue;
            var isPage = endpoint.Metadata.Any(m => m is Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor);
            if (isPage) { mapped.Add($"PAGE {route}"); continue; }
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]) mapped.Add($"{method} {route}");
        }
        var listed = Table.Select(r => $"{r.Method} {r.Route}").ToHashSet();
        var missing = mapped.Except(listed).Order().ToList();
        var stale = listed.Except(mapped).Order().ToList();
        Assert.True(mapped.Count > 40, "The endpoint data source gave too few group routes: " + string.Join(", ", mapped));
        Assert.True(missing.Count == 0, "Group endpoints missing from GroupAccessMatrixTests:\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Rows for group endpoints that no longer exist:\n" + string.Join("\n", stale));
    }

    private static bool IsGroups(string route) =>
        route.StartsWith("/api/v1/groups", StringComparison.Ordinal) || route.StartsWith("/groups", StringComparison.Ordinal) || route == "/admin/groups";

    [Fact]
    public async Task EachRole_GetsWhatTheDesignSays_FromEveryGroupEndpointAndPage_AndTheRemovedMemberHearsNothingMore()
    {
        var (ctx, people, removedStream) = await SetUpAsync();
        await using var _ = removedStream;
        var api = new Dictionary<Role, HttpClient>();
        var pages = new Dictionary<Role, HttpClient>();
        foreach (var (role, person) in people)
        {
            api[role] = person.Api;
            pages[role] = (await app.SignInPagesAsync(person.Email, person.Password)).Http;
        }
        var anonymous = app.AnonymousPages();
        api[Role.Anonymous] = pages[Role.Anonymous] = anonymous.Http;

        var failures = new List<string>();
        foreach (var row in Table)
        {
            // Within a row, the facilitator goes last so a change they make can't alter what the others are asked.
            foreach (var role in Roles.Where(r => r != Role.Facilitator).Append(Role.Facilitator))
            {
                using var request = await row.Request(ctx, role);
                var client = row.Method == "PAGE" ? pages[role] : api[role];
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var expected = row.For(role);
                if (response.StatusCode != expected)
                    failures.Add($"{row.Method} {request.RequestUri} as {role}: {(int)response.StatusCode}, expected {(int)expected}. {Trim(body)}");
                if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/account/sign-in", StringComparison.Ordinal) != true)
                    failures.Add($"{row.Method} {request.RequestUri} as {role}: redirects to {response.Headers.Location}, not to sign-in");
                if (response.StatusCode == HttpStatusCode.Forbidden && role is not (Role.Facilitator or Role.Member))
                    failures.Add($"{row.Method} {request.RequestUri} as {role}: 403 tells someone outside the group that it is there");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // After all of that (a room witness, board posts, a new link, a removal, the close and a follow-up cycle), the removed member heard nothing.
        await AssertHearsNothingAsync(removedStream, people[Role.Removed]);
    }

    [Fact]
    public async Task AnUnlistedGroup_IsNotFound_ForTheRemovedMember_TheStranger_AndAnyoneSignedOut_EvenItsPublicPages()
    {
        var f = await app.RegisterAsync("An Unlisted Facilitator");
        var group = await Support.Groups.CreateGroupAsync(f);
        var removed = await app.RegisterAsync("Once In The Unlisted Group");
        var token = await Support.Groups.InvitationTokenAsync(f, group.Id);
        var removedId = await Support.Groups.JoinByLinkAsync(removed, group.Id, token, "Fern");
        await Expect.StatusAsync(await f.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/groups/{group.Id}/members/{removedId}") { Content = JsonContent.Create(new { reason = "Take care" }) }), HttpStatusCode.NoContent);
        var stranger = await app.RegisterAsync("Not In The Unlisted Group");
        var anonymous = app.AnonymousPages();
        var failures = new List<string>();
        foreach (var (who, person) in new[] { ("removed", removed), ("stranger", stranger) })
        {
            using var pagesClient = await app.SignInPagesAsync(person.Email, person.Password);
            foreach (var url in new[] { $"/api/v1/groups/{group.Id}", $"/api/v1/groups/{group.Id}/meetings", $"/api/v1/groups/{group.Id}/board" })
                if ((await person.Api.GetAsync(url)).StatusCode is var s && s != HttpStatusCode.NotFound) failures.Add($"GET {url} as {who}: {(int)s}");
            var applied = await person.Api.PostAsJsonAsync($"/api/v1/groups/{group.Id}/applications", new { answers = Array.Empty<string>() });
            if (applied.StatusCode != HttpStatusCode.NotFound) failures.Add($"POST applications as {who}: {(int)applied.StatusCode}");
            foreach (var url in new[] { $"/groups/{group.Id}", $"/groups/{group.Id}/apply" })
                if ((await pagesClient.Http.GetAsync(url)).StatusCode is var s && s != HttpStatusCode.NotFound) failures.Add($"PAGE {url} as {who}: {(int)s}");
        }
        if ((await anonymous.Http.GetAsync($"/groups/{group.Id}")).StatusCode is var a && a != HttpStatusCode.NotFound) failures.Add($"PAGE /groups/{{id}} signed out: {(int)a}");
        var directory = await JsonDocument.ParseAsync(await anonymous.Http.GetStreamAsync("/api/v1/groups"));
        if (directory.RootElement.GetProperty("items").EnumerateArray().Any(g => g.GetProperty("id").GetString() == group.Id)) failures.Add("The unlisted group is in the directory");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// The pages' own forms, posted from outside: each answers 404 to a pending applicant (except the
    /// agreement, which is theirs), the removed member and a stranger, and sends someone signed out
    /// (with a valid form token, so the handler itself is reached) to sign in. Joining by link, applying to a listed group and starting a group are open by design.
    /// </summary>
    [Fact]
    public async Task EveryGroupForm_PostedFromOutside_IsNotFound_AndChangesNothing()
    {
        var (c, people, stream) = await SetUpAsync();
        await using var _ = stream;
        var g = $"/groups/{c.Id}";
        (string Url, Dictionary<string, string> Fields, bool ApplicantMay)[] forms =
        [
            ($"{g}?handler=Leave", [], false), ($"{g}/measures?handler=Choices", new() { ["Consent"] = "true" }, false), ($"{g}/measures?handler=AddLatest", [], false),
            ($"{g}/meetings/{c.Meeting}/attendance", new() { ["Coming"] = "true" }, false),
            ($"{g}/meetings/{c.Meeting}?handler=Event", new() { ["Type"] = "moment", ["ExpectedVersion"] = "0" }, false),
            ($"{g}/meetings/{c.Meeting}?handler=Journal&postId={c.MemberRoomPost}", [], false),
            ($"{g}/members/{c.MemberId}/messages", new() { ["Text"] = "Hello" }, false), ($"{g}/board", new() { ["Text"] = "Hello" }, false),
            ($"{g}/board?handler=Witness&postId={c.Member2BoardPost}&kind=hear", [], false), ($"{g}/board?handler=Withdraw&postId={c.Member2BoardPost}", [], false),
            ($"{g}/edit", new() { ["Form.Title"] = "Mine now" }, false), ($"{g}/applications", new() { ["appId"] = c.ApplicationId, ["answer"] = "accept" }, false),
            ($"{g}/agreement", new() { ["Accept"] = "true", ["GroupName"] = "Me" }, true),
            ($"{g}/manage?handler=Remove&memberId={c.MemberId}", new() { ["reason"] = "Goodbye" }, false), ($"{g}/manage?handler=Link", [], false), ($"{g}/ending", [], false),
        ];
        var failures = new List<string>();
        foreach (var role in new[] { Role.Applicant, Role.Removed, Role.Stranger })
        {
            using var pages = await app.SignInPagesAsync(people[role].Email, people[role].Password);
            foreach (var (url, fields, applicantMay) in forms.Where(f => !(role == Role.Applicant && f.ApplicantMay)))
                if ((await pages.PostFormAsync(url, fields, formPage: "/groups/new")).StatusCode is var s && s != HttpStatusCode.NotFound)
                    failures.Add($"POST {url} as {role}: {(int)s}, expected 404");
        }
        using var anonymous = app.AnonymousPages();
        foreach (var (url, fields, _) in forms)
            if (await anonymous.PostFormAsync(url, fields, formPage: "/account/sign-in") is var r
                && (r.StatusCode != HttpStatusCode.Redirect || r.Headers.Location?.OriginalString.Contains("/account/sign-in", StringComparison.Ordinal) != true))
                failures.Add($"POST {url} signed out: {(int)r.StatusCode} {r.Headers.Location}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Nothing moved: the member is still in, the board post still there, the group still open.
        var members = await c.Facilitator.Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{c.Id}/members");
        Assert.Contains(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("memberId").ToString() == c.MemberId);
        var board = await c.Facilitator.Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{c.Id}/board");
        Assert.Contains(board.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetString() == c.Member2BoardPost);
        Assert.False(board.GetProperty("readOnly").GetBoolean());
    }

    /// <summary>
    /// The group, its people and the ids the rows use. The removed member is removed here, with a
    /// stream open from before; the stream is returned so the test can check it hears nothing more.
    /// </summary>
    private async Task<(Ctx Ctx, Dictionary<Role, Person> People, LiveEvents RemovedStream)> SetUpAsync()
    {
        var f = await app.RegisterAsync("A Facilitator");
        var group = await Support.Groups.CreateGroupAsync(f, Support.Groups.Body(title: "Evenings of listening", join: "apply", listed: true, questions: ["What brings you here?"]));
        // Listed as an administrator would approve it, so applying, its public page and the directory are open.
        await app.WithDbAsync(async db =>
        {
            var row = await db.Set<Attune.Features.Groups.Group>().FindAsync(Guid.Parse(group.Id));
            row!.ApprovedAt = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });
        var member = await app.RegisterAsync("A Member");
        var memberId = await Support.Groups.JoinAsMemberAsync(f, member, group.Id, "Wren");
        var member2 = await app.RegisterAsync("A Second Member");
        var member2Id = await Support.Groups.JoinAsMemberAsync(f, member2, group.Id, "Ash");
        var goner = await app.RegisterAsync("A Member Who Goes Later");
        var gonerId = await Support.Groups.JoinAsMemberAsync(f, goner, group.Id, "Birch");
        var removed = await app.RegisterAsync("A Removed Member");
        var removedId = await Support.Groups.JoinAsMemberAsync(f, removed, group.Id, "Rowan");
        var applicant = await app.RegisterAsync("An Applicant");
        var applicationId = await Support.Groups.ApplyAsync(applicant, group.Id);
        var spare = new List<string>();
        for (var i = 0; i < 3; i++) spare.Add(await Support.Groups.ApplyAsync(await app.RegisterAsync($"Another Applicant {i}"), group.Id));
        var stranger = await app.RegisterAsync("A Stranger");

        // The room: open, the two members in, a round, the first member's share and their turn done.
        var meeting = group.FirstMeeting;
        var v = await Support.Groups.OpenRoomAsync(f, group.Id, meeting);
        v = await Support.Groups.NextVersionAsync(member, group.Id, meeting, "checkIn", v, new { suds = 3, word = "here" });
        v = await Support.Groups.NextVersionAsync(member2, group.Id, meeting, "checkIn", v, new { suds = 4, word = "tired" });
        v = await Support.Groups.NextVersionAsync(f, group.Id, meeting, "startRound", v, new { promptId = "p1-felt-age" });
        var posted = await Support.Groups.EventAsync(member, group.Id, meeting, "post", v, new { text = "About ten, I think." });
        var room = JsonDocument.Parse(await Expect.StatusAsync(posted, HttpStatusCode.OK)).RootElement;
        var roomPost = room.GetProperty("posts").EnumerateArray().Last().GetProperty("id").GetString()!;
        await Support.Groups.NextVersionAsync(member, group.Id, meeting, "done", room.GetProperty("version").GetInt64());

        var member2Post = await Support.Groups.BoardPostAsync(member2, group.Id, "Thinking of you all this week.");
        var facilitatorPost = await Support.Groups.BoardPostAsync(f, group.Id, "Our next meeting is on Tuesday.");
        var token = await Support.Groups.InvitationTokenAsync(f, group.Id);

        var removedStream = await LiveEvents.OpenAsync(app, removed);
        await Expect.StatusAsync(await f.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/groups/{group.Id}/members/{removedId}")
        { Content = JsonContent.Create(new { reason = "Thank you for the weeks you came" }) }), HttpStatusCode.NoContent);
        var removal = await removedStream.NextAsync(Attune.Features.Groups.Membership.RemovedEvent);
        Assert.Equal(group.Id, removal.Id);

        var people = new Dictionary<Role, Person>
        {
            [Role.Facilitator] = f,
            [Role.Member] = member,
            [Role.Applicant] = applicant,
            [Role.Removed] = removed,
            [Role.Stranger] = stranger,
        };
        await AssertHearsNothingAsync(removedStream, removed, member, f, group.Id, meeting, member2);
        var ctx = new Ctx(group.Id, meeting, memberId, member2Id, gonerId, removedId, applicationId, spare, roomPost, member2Post, facilitatorPost, token, f);
        return (ctx, people, removedStream);
    }

    /// <summary>
    /// The group carries on (a room post, a board post, a new meeting) while the removed member and a
    /// member both listen: the member hears each, the removed member none. A marker sent to each
    /// stream after the group's actions shows every earlier frame has been delivered.
    /// </summary>
    private async Task AssertHearsNothingAsync(LiveEvents removedBefore, Person removed, Person member, Person f, string groupId, string meeting, Person holder)
    {
        await using var removedAfter = await LiveEvents.OpenAsync(app, removed);
        await using var memberStream = await LiveEvents.OpenAsync(app, member);
        var v = await Support.Groups.RoomVersionAsync(f, groupId, meeting);
        await Support.Groups.NextVersionAsync(holder, groupId, meeting, "post", v, new { text = "Younger than I expected." });
        await Support.Groups.BoardPostAsync(member, groupId, "A quiet week, and that's all right.");
        await Expect.StatusAsync(await f.Api.PatchAsJsonAsync($"/api/v1/groups/{groupId}",
            new { addMeetings = new[] { new { startsAt = Support.Groups.Local(DateTime.UtcNow.Date.AddDays(40).AddHours(19)), minutes = 90 } } }), HttpStatusCode.OK);
        var heard = await UntilMarkerAsync(memberStream, member);
        Assert.Contains(heard, e => e.Type == "group.room");
        Assert.Contains(heard, e => e.Type == "group.board");
        Assert.Contains(heard, e => e.Type == "group.changed");
        await AssertHearsNothingAsync(removedBefore, removed);
        await AssertHearsNothingAsync(removedAfter, removed);
    }

    private async Task AssertHearsNothingAsync(LiveEvents stream, Person removed)
    {
        var heard = await UntilMarkerAsync(stream, removed);
        Assert.True(!heard.Any(e => e.Type.StartsWith("group", StringComparison.Ordinal)),
            "The removed member heard: " + string.Join(", ", heard.Select(e => e.Type)));
    }

    private const string Marker = "test.marker";

    /// <summary>Everything the stream delivers until a marker published to this person now: the hub keeps each stream's order.</summary>
    private async Task<List<(string Type, string Id)>> UntilMarkerAsync(LiveEvents stream, Person person)
    {
        var marker = Guid.NewGuid();
        app.Service<EventHub>().Publish(person.Id, Marker, marker);
        var heard = new List<(string Type, string Id)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var e = await stream.Events.Reader.ReadAsync(timeout.Token);
            if (e.Type == Marker && e.Id == marker.ToString()) return heard;
            heard.Add(e);
        }
    }

    private static string Trim(string body) => body.Length > 300 ? body[..300] + "…" : body;
}
