using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace Attune.Tests.Security;

/// <summary>
/// Every endpoint the app maps, walked as anonymous, as another person and as the owner. Each
/// answer must have the expected status and must never show the owner's canary text to anyone
/// but the owner. A new endpoint that is not in <see cref="Matrix"/> fails the test: whoever adds
/// an endpoint decides here who may use it.
/// </summary>
public sealed class AuthorizationMatrixTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private const string Canary = "Matrix Canary Owl 6612";

    /// <summary>Who may call it. <c>Self</c>: signed in, acts on the caller's own data only.</summary>
    private enum Access { Public, Self, SelfPage, PublicPage }

    private sealed record Case(string Method, string Route, Access Access, Func<Ctx, HttpRequestMessage> Request,
        HttpStatusCode Owner, HttpStatusCode Stranger, HttpStatusCode Anonymous);

    private sealed record Ctx(Person Owner, Person Stranger, string OwnerOtherSession, string OwnerCheckIn, string OwnerSession, string OwnerEntry, string OwnerActivation,
        string OwnerMember, string OwnerInvitation, string InvitationToken, string OwnerReach, string OwnerPush, string OwnerThread, string OwnerShare, string Supporter,
        string TherapistProfile, string OwnerCare, string TherapistNote, string OwnerAppointment, GroupCtx Group);

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Send(HttpMethod method, string url, object? body) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body) };

    private static readonly HttpStatusCode Ok = HttpStatusCode.OK, NoContent = HttpStatusCode.NoContent, NotFound = HttpStatusCode.NotFound,
        Unauthorized = HttpStatusCode.Unauthorized, BadRequest = HttpStatusCode.BadRequest, Redirect = HttpStatusCode.Redirect;

    private static readonly object PushBody = new { endpoint = "https://fcm.googleapis.com/fcm/send/matrix", keys = new { p256dh = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", auth = "BTBZMqHH6r4Tts7J_aSIgg" } };

    private static Case Page(string route, string url, Access access = Access.SelfPage, HttpStatusCode? anonymous = null, HttpStatusCode? signedIn = null) =>
        new("PAGE", route, access, _ => Get(url), signedIn ?? Ok, signedIn ?? Ok, anonymous ?? (access == Access.SelfPage ? Redirect : Ok));

    // Order matters only at the end: deleting the owner's account runs last.
    private static readonly Case[] Matrix =
    [
        new("GET", "/api/v1/me", Access.Self, _ => Get("/api/v1/me"), Ok, Ok, Unauthorized),
        new("PATCH", "/api/v1/me", Access.Self, _ => Send(HttpMethod.Patch, "/api/v1/me", new { timeZone = "Europe/Dublin" }), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/me/export", Access.Self, _ => Get("/api/v1/me/export"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/me/access-log", Access.Self, _ => Get("/api/v1/me/access-log"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/me/sessions", Access.Self, _ => Get("/api/v1/me/sessions"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/me/security-log", Access.Self, _ => Get("/api/v1/me/security-log"), Ok, Ok, Unauthorized),
        new("DELETE", "/api/v1/me/sessions/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/me/sessions/{c.OwnerOtherSession}", null), NoContent, NotFound, Unauthorized),

        new("POST", "/api/auth/register", Access.Public, _ => Send(HttpMethod.Post, "/api/auth/register", new { email = "", password = "" }), BadRequest, BadRequest, BadRequest),
        new("POST", "/api/auth/login", Access.Public, c => Send(HttpMethod.Post, "/api/auth/login", new { email = c.Owner.Email, password = "wrong but harmless" }), Unauthorized, Unauthorized, Unauthorized),
        new("POST", "/api/auth/refresh", Access.Public, _ => Send(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = "not-a-token" }), Unauthorized, Unauthorized, Unauthorized),
        new("GET", "/api/auth/confirmEmail", Access.Public, c => Get($"/api/auth/confirmEmail?userId={c.Owner.Id}&code=bm90LWEtY29kZQ"), Unauthorized, Unauthorized, Unauthorized),
        new("POST", "/api/auth/resendConfirmationEmail", Access.Public, c => Send(HttpMethod.Post, "/api/auth/resendConfirmationEmail", new { email = c.Owner.Email }), Ok, Ok, Ok),
        new("POST", "/api/auth/forgotPassword", Access.Public, c => Send(HttpMethod.Post, "/api/auth/forgotPassword", new { email = c.Owner.Email }), Ok, Ok, Ok),
        new("POST", "/api/auth/resetPassword", Access.Public, c => Send(HttpMethod.Post, "/api/auth/resetPassword", new { email = c.Owner.Email, resetCode = "bm9wZQ", newPassword = "a perfectly fine passphrase" }), BadRequest, BadRequest, BadRequest),
        new("GET", "/api/auth/manage/info", Access.Self, _ => Get("/api/auth/manage/info"), Ok, Ok, Unauthorized),
        new("POST", "/api/auth/manage/info", Access.Self, _ => Send(HttpMethod.Post, "/api/auth/manage/info", new { }), Ok, Ok, Unauthorized),

        new("GET", "/api/v1/crisis-resources", Access.Self, _ => Get("/api/v1/crisis-resources?country=GB"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/safety-plan", Access.Self, _ => Get("/api/v1/safety-plan"), Ok, Ok, Unauthorized),
        new("PUT", "/api/v1/safety-plan", Access.Self, _ => Send(HttpMethod.Put, "/api/v1/safety-plan", new { helpers = new[] { "someone" } }), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/assessments", Access.Self, _ => Get("/api/v1/assessments"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/assessments/{instrument}/responses", Access.Self, _ => Get("/api/v1/assessments/gad7/responses"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/assessments/{instrument}/responses/{id:guid}", Access.Self, c => Get($"/api/v1/assessments/gad7/responses/{c.OwnerCheckIn}"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/assessments/{instrument}/responses", Access.Self, _ => Send(HttpMethod.Post, "/api/v1/assessments/gad7/responses", new { answers = new[] { 0, 0, 0, 0, 0, 0, 1 } }), HttpStatusCode.Created, HttpStatusCode.Created, Unauthorized),
        new("GET", "/api/v1/journey", Access.Self, _ => Get("/api/v1/journey"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/practices/{slug}", Access.Self, _ => Get("/api/v1/practices/safe-place"), Ok, Ok, Unauthorized),
        new("POST", "/api/v1/practices/{slug}/sessions", Access.Self, _ => Send(HttpMethod.Post, "/api/v1/practices/safe-place/sessions", new { sudsBefore = 2 }), HttpStatusCode.Created, HttpStatusCode.Created, Unauthorized),
        new("GET", "/api/v1/practice-sessions/{id:guid}", Access.Self, c => Get($"/api/v1/practice-sessions/{c.OwnerSession}"), Ok, NotFound, Unauthorized),
        new("PUT", "/api/v1/practice-sessions/{id:guid}", Access.Self, c => Send(HttpMethod.Put, $"/api/v1/practice-sessions/{c.OwnerSession}", new { sudsNow = 2 }), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/journal", Access.Self, _ => Send(HttpMethod.Post, "/api/v1/journal", new { kind = "free", text = "a line" }), HttpStatusCode.Created, HttpStatusCode.Created, Unauthorized),
        new("GET", "/api/v1/journal", Access.Self, _ => Get("/api/v1/journal?q=canary"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/journal/{id:guid}", Access.Self, c => Get($"/api/v1/journal/{c.OwnerEntry}"), Ok, NotFound, Unauthorized),
        new("PUT", "/api/v1/journal/{id:guid}", Access.Self, c => Send(HttpMethod.Put, $"/api/v1/journal/{c.OwnerEntry}", new { kind = "drawing", text = Canary + " kept" }), Ok, NotFound, Unauthorized),
        new("GET", "/api/v1/journal/{id:guid}/image", Access.Self, c => Get($"/api/v1/journal/{c.OwnerEntry}/image"), Ok, NotFound, Unauthorized),
        new("GET", "/api/v1/journal/tags", Access.Self, _ => Get("/api/v1/journal/tags"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/journal/prompts", Access.Self, _ => Get("/api/v1/journal/prompts"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/journal/prompts/suggestion", Access.Self, _ => Get("/api/v1/journal/prompts/suggestion"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/journal/export", Access.Self, _ => Get("/api/v1/journal/export?format=zip"), Ok, Ok, Unauthorized),
        new("POST", "/api/v1/activations", Access.Self, _ => Send(HttpMethod.Post, "/api/v1/activations", new { situation = "a moment", intensity = 4 }), HttpStatusCode.Created, HttpStatusCode.Created, Unauthorized),
        new("GET", "/api/v1/activations", Access.Self, _ => Get("/api/v1/activations?pattern=critic"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/activations/words", Access.Self, _ => Get("/api/v1/activations/words"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/activations/{id:guid}", Access.Self, c => Get($"/api/v1/activations/{c.OwnerActivation}"), Ok, NotFound, Unauthorized),
        new("PUT", "/api/v1/activations/{id:guid}", Access.Self, c => Send(HttpMethod.Put, $"/api/v1/activations/{c.OwnerActivation}", new { situation = Canary + " kept", intensity = 5, patterns = new[] { "critic" } }), Ok, NotFound, Unauthorized),
        new("GET", "/api/v1/insights/activations", Access.Self, _ => Get("/api/v1/insights/activations?range=all"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/circle", Access.Self, _ => Get("/api/v1/circle"), Ok, Ok, Unauthorized),
        new("POST", "/api/v1/circle/invitations", Access.Self, _ => Send(HttpMethod.Post, "/api/v1/circle/invitations", new { email = AttuneApp.NewEmail("invited"), name = "Someone" }), HttpStatusCode.Created, HttpStatusCode.Created, Unauthorized),
        new("POST", "/api/v1/circle/invitations/{token}/accept", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/circle/invitations/{c.InvitationToken}/accept", null), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("POST", "/api/v1/reaches", Access.Self, _ => Send(HttpMethod.Post, "/api/v1/reaches", new { urgency = "whenever" }), HttpStatusCode.Created, HttpStatusCode.Created, Unauthorized),
        new("GET", "/api/v1/reaches", Access.Self, _ => Get("/api/v1/reaches"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/reaches/{id:guid}", Access.Self, c => Get($"/api/v1/reaches/{c.OwnerReach}"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/reaches/{id:guid}/responses", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/reaches/{c.OwnerReach}/responses", new { kind = "here" }), NotFound, NotFound, Unauthorized),
        new("GET", "/api/v1/push/key", Access.Self, _ => Get("/api/v1/push/key"), Ok, Ok, Unauthorized),
        new("POST", "/api/v1/push/subscriptions", Access.Self, _ => Send(HttpMethod.Post, "/api/v1/push/subscriptions", PushBody), HttpStatusCode.Created, HttpStatusCode.Created, Unauthorized),
        new("GET", "/api/v1/events", Access.Self, _ => Get("/api/v1/events"), Ok, Ok, Unauthorized),
        new("GET", "/live", Access.SelfPage, _ => Get("/live"), Ok, Ok, Redirect),
        new("GET", "/api/v1/threads", Access.Self, _ => Get("/api/v1/threads"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/threads/{id:guid}", Access.Self, c => Get($"/api/v1/threads/{c.OwnerThread}"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/threads/{id:guid}/messages", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/threads/{c.OwnerThread}/messages", new { text = "still here" }), HttpStatusCode.Created, NotFound, Unauthorized),

        // ---- groups: C (the private word, "what I take with me") ----
        new("GET", "/api/v1/groups/{id:guid}/members/{memberId:guid}/messages", Access.Self, c => Get($"/api/v1/groups/{c.Group.Id}/members/{c.Group.Member}/messages"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/members/{memberId:guid}/messages", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/members/{c.Group.Member}/messages", new { text = "hello" }), HttpStatusCode.Created, NotFound, Unauthorized),
        new("PAGE", "/groups/{id:guid}/members/{memberId:guid}/messages", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/members/{c.Group.Member}/messages"), Ok, NotFound, Redirect),
        // Nobody saves someone else's post to their own journal: the owner (the facilitator) gets 404 too.
        new("POST", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/room/posts/{postId:guid}/journal", Access.Self, c => Send(HttpMethod.Post, $"{c.Group.Room}/posts/{Guid.NewGuid()}/journal", null), NotFound, NotFound, Unauthorized),
        new("PAGE", "/groups/{id:guid}/meetings/{meetingId:guid}", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/meetings/{c.Group.MeetingId}"), Ok, NotFound, Redirect),
        // ---- end groups: C ----

        new("POST", "/api/v1/shares", Access.Self, c => Send(HttpMethod.Post, "/api/v1/shares", new { itemType = "journal", itemId = c.OwnerEntry, withUserId = c.Supporter }), Ok, BadRequest, Unauthorized),
        new("GET", "/api/v1/shares", Access.Self, _ => Get("/api/v1/shares"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/shares/{id:guid}", Access.Self, c => Get($"/api/v1/shares/{c.OwnerShare}"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/shares/{id:guid}/witness", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/shares/{c.OwnerShare}/witness", new { text = "I hear you" }), NotFound, NotFound, Unauthorized),
        new("GET", "/api/v1/shared-with-me", Access.Self, _ => Get("/api/v1/shared-with-me"), Ok, Ok, Unauthorized),
        new("PATCH", "/api/v1/circle/{memberId:guid}", Access.Self, c => Send(HttpMethod.Patch, $"/api/v1/circle/{c.OwnerMember}", new { canSeeShared = false }), Ok, NotFound, Unauthorized),
        new("GET", "/api/v1/insights/report", Access.Self, _ => Get("/api/v1/insights/report?range=4w"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/therapist-profile", Access.Self, _ => Get("/api/v1/therapist-profile"), NotFound, NotFound, Unauthorized),
        new("PUT", "/api/v1/therapist-profile", Access.Self, _ => Send(HttpMethod.Put, "/api/v1/therapist-profile", new { name = "" }), BadRequest, BadRequest, Unauthorized),
        new("PUT", "/api/v1/therapist-profile/photo", Access.Self, _ => Send(HttpMethod.Put, "/api/v1/therapist-profile/photo", new { image = Convert.ToBase64String(TestImages.Png()) }), BadRequest, BadRequest, Unauthorized),
        new("DELETE", "/api/v1/therapist-profile/photo", Access.Self, _ => Send(HttpMethod.Delete, "/api/v1/therapist-profile/photo", null), NotFound, NotFound, Unauthorized),
        new("GET", "/api/v1/therapists", Access.Public, _ => Get("/api/v1/therapists?modality=ifs&accepting=true"), Ok, Ok, Ok),
        new("GET", "/api/v1/therapists/{id:guid}", Access.Public, c => Get($"/api/v1/therapists/{c.TherapistProfile}"), Ok, Ok, Ok),
        new("GET", "/api/v1/therapists/{id:guid}/photo", Access.Public, c => Get($"/api/v1/therapists/{c.TherapistProfile}/photo"), Ok, Ok, Ok),
        new("POST", "/api/v1/therapists/{id:guid}/requests", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/therapists/{c.TherapistProfile}/requests", new { message = "hello" }), BadRequest, HttpStatusCode.Created, Unauthorized),
        new("GET", "/api/v1/care", Access.Self, _ => Get("/api/v1/care"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/care/{id:guid}", Access.Self, c => Get($"/api/v1/care/{c.OwnerCare}"), Ok, NotFound, Unauthorized),
        new("PATCH", "/api/v1/care/{id:guid}", Access.Self, c => Send(HttpMethod.Patch, $"/api/v1/care/{c.OwnerCare}", new { journey = true }), Ok, NotFound, Unauthorized),
        new("GET", "/api/v1/care/{id:guid}/messages", Access.Self, c => Get($"/api/v1/care/{c.OwnerCare}/messages"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/care/{id:guid}/messages", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/care/{c.OwnerCare}/messages", new { text = "hello" }), HttpStatusCode.Created, NotFound, Unauthorized),
        new("GET", "/api/v1/caseload/{personId}/notes", Access.Self, c => Get($"/api/v1/caseload/{c.Owner.Id}/notes"), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("POST", "/api/v1/caseload/{personId}/notes", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/caseload/{c.Owner.Id}/notes", new { text = "n" }), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("PUT", "/api/v1/notes/{id:guid}", Access.Self, c => Send(HttpMethod.Put, $"/api/v1/notes/{c.TherapistNote}", new { text = "n" }), NotFound, NotFound, Unauthorized),
        new("DELETE", "/api/v1/notes/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/notes/{c.TherapistNote}", null), NotFound, NotFound, Unauthorized),
        new("POST", "/api/v1/caseload/{personId}/appointments", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/caseload/{c.Owner.Id}/appointments", new { options = new[] { "2030-01-01T10:00:00Z" } }), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("GET", "/api/v1/appointments", Access.Self, _ => Get("/api/v1/appointments"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/appointments/{id:guid}/ics", Access.Self, c => Get($"/api/v1/appointments/{c.OwnerAppointment}/ics"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/appointments/{id:guid}/accept", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/appointments/{c.OwnerAppointment}/accept", null), BadRequest, NotFound, Unauthorized),
        new("GET", "/api/v1/notes/export", Access.Self, _ => Get("/api/v1/notes/export"), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("GET", "/api/v1/care/requests", Access.Self, _ => Get("/api/v1/care/requests"), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("POST", "/api/v1/care/requests/{id:guid}/accept", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/care/requests/{c.OwnerCare}/accept", null), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("POST", "/api/v1/care/requests/{id:guid}/decline", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/care/requests/{c.OwnerCare}/decline", null), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("GET", "/api/v1/caseload", Access.Self, _ => Get("/api/v1/caseload"), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("GET", "/api/v1/caseload/{personId}", Access.Self, c => Get($"/api/v1/caseload/{c.Owner.Id}"), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("GET", "/api/v1/caseload/{personId}/check-ins", Access.Self, c => Get($"/api/v1/caseload/{c.Owner.Id}/check-ins"), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("POST", "/api/v1/caseload/{personId}/assignments", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/caseload/{c.Owner.Id}/assignments", new { practice = "safe-place", dueAt = "2030-01-01" }), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("PUT", "/api/v1/caseload/{personId}/phases/{number:int}", Access.Self, c => Send(HttpMethod.Put, $"/api/v1/caseload/{c.Owner.Id}/phases/2", new { open = true, reason = "r" }), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("GET", "/api/v1/assignments", Access.Self, _ => Get("/api/v1/assignments"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/admin/therapists", Access.Self, _ => Get("/api/v1/admin/therapists"), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),
        new("POST", "/api/v1/admin/therapists/{id:guid}/verification", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/admin/therapists/{c.TherapistProfile}/verification", new { verified = true }), HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, Unauthorized),

        // ---- groups: A ----
        new("POST", "/api/v1/groups", Access.Self, _ => Send(HttpMethod.Post, "/api/v1/groups", Support.Groups.Body()), HttpStatusCode.Created, HttpStatusCode.Created, Unauthorized),
        new("GET", "/api/v1/groups", Access.Public, _ => Get("/api/v1/groups?q=group&part=2&language=en"), Ok, Ok, Ok),
        new("GET", "/api/v1/groups/mine", Access.Self, _ => Get("/api/v1/groups/mine"), Ok, Ok, Unauthorized),
        new("GET", "/api/v1/groups/{id:guid}", Access.Self, c => Get($"/api/v1/groups/{c.Group.Id}"), Ok, NotFound, Unauthorized),
        new("PATCH", "/api/v1/groups/{id:guid}", Access.Self, c => Send(HttpMethod.Patch, $"/api/v1/groups/{c.Group.Id}", new { description = "Still here, a little clearer." }), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/applications", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/applications", new { answers = new[] { "me" } }), BadRequest, NotFound, Unauthorized),
        new("GET", "/api/v1/groups/{id:guid}/applications", Access.Self, c => Get($"/api/v1/groups/{c.Group.Id}/applications"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/applications/{appId:guid}/accept", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/applications/{c.Group.Applications[0]}/accept", null), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/applications/{appId:guid}/decline", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/applications/{c.Group.Applications[1]}/decline", new { note = "Not this time" }), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/applications/{appId:guid}/waitlist", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/applications/{c.Group.Applications[2]}/waitlist", null), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/agreement", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/agreement", new { accept = true, groupName = "Me" }), BadRequest, NotFound, Unauthorized),
        new("GET", "/api/v1/groups/{id:guid}/members", Access.Self, c => Get($"/api/v1/groups/{c.Group.Id}/members"), Ok, NotFound, Unauthorized),
        new("GET", "/api/v1/groups/{id:guid}/meetings", Access.Self, c => Get($"/api/v1/groups/{c.Group.Id}/meetings"), Ok, NotFound, Unauthorized),
        new("GET", "/api/v1/groups/{id:guid}/calendar", Access.Self, c => Get($"/api/v1/groups/{c.Group.Id}/calendar?title=true"), Ok, NotFound, Unauthorized),
        new("GET", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/calendar", Access.Self, c => Get($"/api/v1/groups/{c.Group.Id}/meetings/{c.Group.MeetingId}/calendar"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/invitation-link", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/invitation-link", null), Ok, NotFound, Unauthorized),
        Page("/groups", "/groups?q=group&part=2", Access.PublicPage),
        new("PAGE", "/groups/{id:guid}", Access.PublicPage, c => Get($"/groups/{c.Group.Id}"), Ok, NotFound, NotFound),
        Page("/groups/mine", "/groups/mine"),
        Page("/groups/new", "/groups/new"),
        new("PAGE", "/groups/{id:guid}/edit", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/edit"), Ok, NotFound, Redirect),
        new("PAGE", "/groups/{id:guid}/apply", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/apply"), NotFound, NotFound, Redirect),
        new("PAGE", "/groups/{id:guid}/applications", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/applications"), Ok, NotFound, Redirect),
        new("PAGE", "/groups/{id:guid}/agreement", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/agreement"), NotFound, NotFound, Redirect),
        new("PAGE", "/groups/{id:guid}/manage", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/manage"), Ok, NotFound, Redirect),
        new("PAGE", "/groups/{id:guid}/meetings", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/meetings"), Ok, NotFound, Redirect),
        new("PAGE", "/groups/join/{token}", Access.PublicPage, c => Get($"/groups/join/{c.Group.SecondToken}"), Ok, Ok, Ok),
        new("PAGE", "/admin/groups", Access.SelfPage, _ => Get("/admin/groups"), NotFound, NotFound, Redirect),

        new("ANY", "/health", Access.Public, _ => Get("/health"), Ok, Ok, Ok),
        new("GET", "/openapi/{documentName}.json", Access.Public, _ => Get("/openapi/v1.json"), Ok, Ok, Ok),

        Page("/", "/", Access.PublicPage),
        Page("/start", "/start", signedIn: Redirect),
        Page("/error/{code:int?}", "/error/404", Access.PublicPage, NotFound, NotFound),
        Page("/privacy", "/privacy", Access.PublicPage),
        Page("/grounding", "/grounding", Access.PublicPage),
        Page("/help", "/help", Access.PublicPage),
        Page("/account/register", "/account/register", Access.PublicPage),
        Page("/account/check-email", "/account/check-email", Access.PublicPage),
        Page("/account/confirm-email", "/account/confirm-email?userId=x&code=y", Access.PublicPage),
        Page("/account/sign-in", "/account/sign-in", Access.PublicPage),
        Page("/account/sign-in/two-factor", "/account/sign-in/two-factor", Access.PublicPage, Redirect, Redirect),
        Page("/account/sign-in/recovery", "/account/sign-in/recovery", Access.PublicPage, Redirect, Redirect),
        Page("/account/sign-out", "/account/sign-out", Access.PublicPage, Redirect),
        Page("/account/forgot-password", "/account/forgot-password", Access.PublicPage),
        Page("/account/reset-password", "/account/reset-password?userId=x&code=y", Access.PublicPage),
        Page("/account/deleted", "/account/deleted", Access.PublicPage),
        Page("/account", "/account"),
        Page("/account/security", "/account/security"),
        Page("/account/two-factor", "/account/two-factor"),
        Page("/account/sessions", "/account/sessions"),
        Page("/privacy/data", "/privacy/data"),
        Page("/privacy/access-log", "/privacy/access-log"),
        Page("/privacy/security-log", "/privacy/security-log"),
        Page("/privacy/delete", "/privacy/delete"),
        Page("/safety-plan", "/safety-plan"),
        Page("/safety-plan/edit", "/safety-plan/edit"),
        Page("/check-ins", "/check-ins"),
        Page("/journey", "/journey"),
        Page("/practices/{slug}", "/practices/safe-place"),
        new("PAGE", "/practices/sessions/{id:guid}", Access.SelfPage, c => Get($"/practices/sessions/{c.OwnerSession}"), Ok, NotFound, Redirect),
        Page("/check-ins/{code}", "/check-ins/phq9"),
        Page("/journal", "/journal?q=canary"),
        Page("/journal/new/{kind}", "/journal/new/letter"),
        new("PAGE", "/journal/{id:guid}", Access.SelfPage, c => Get($"/journal/{c.OwnerEntry}"), Ok, NotFound, Redirect),
        new("PAGE", "/journal/{id:guid}/edit", Access.SelfPage, c => Get($"/journal/{c.OwnerEntry}/edit"), Ok, NotFound, Redirect),
        Page("/journal/timeline", "/journal/timeline"),
        Page("/journal/prompt", "/journal/prompt"),
        Page("/journal/export", "/journal/export?handler=Zip"),
        Page("/activations", "/activations?pattern=critic"),
        Page("/activations/new", "/activations/new"),
        new("PAGE", "/activations/{id:guid}", Access.SelfPage, c => Get($"/activations/{c.OwnerActivation}?next=reach"), Ok, NotFound, Redirect),
        new("PAGE", "/activations/{id:guid}/edit", Access.SelfPage, c => Get($"/activations/{c.OwnerActivation}/edit"), Ok, NotFound, Redirect),
        Page("/moment", "/moment"),
        Page("/circle", "/circle"),
        Page("/circle/guide", "/circle/guide"),
        Page("/reach", "/reach"),
        new("PAGE", "/reaches/{id:guid}", Access.SelfPage, c => Get($"/reaches/{c.OwnerReach}"), Ok, NotFound, Redirect),
        // Open without signing in (so an invited person can create an account and come back), never saying who sent it.
        new("PAGE", "/circle/invitations/{token}", Access.PublicPage, c => Get($"/circle/invitations/{c.InvitationToken}"), Ok, Ok, Ok),
        new("PAGE", "/circle/{memberId:guid}", Access.SelfPage, c => Get($"/circle/{c.OwnerMember}"), Ok, NotFound, Redirect),
        Page("/shared", "/shared"),
        new("PAGE", "/shares/new", Access.SelfPage, c => Get($"/shares/new?type=journal&id={c.OwnerEntry}"), Ok, NotFound, Redirect),
        new("PAGE", "/shares/{id:guid}", Access.SelfPage, c => Get($"/shares/{c.OwnerShare}"), Ok, NotFound, Redirect),
        new("PAGE", "/threads/{id:guid}", Access.SelfPage, c => Get($"/threads/{c.OwnerThread}"), Ok, NotFound, Redirect),
        Page("/insights", "/insights?range=all"),
        Page("/therapists", "/therapists?modality=ifs&accepting=true", Access.PublicPage),
        new("PAGE", "/therapists/{id:guid}", Access.PublicPage, c => Get($"/therapists/{c.TherapistProfile}"), Ok, Ok, Ok),
        Page("/care", "/care"),
        Page("/care/profile", "/care/profile"),
        Page("/caseload", "/caseload"),
        new("PAGE", "/care/{id:guid}/messages", Access.SelfPage, c => Get($"/care/{c.OwnerCare}/messages"), Ok, NotFound, Redirect),
        new("PAGE", "/caseload/{personId}", Access.SelfPage, c => Get($"/caseload/{c.Owner.Id}"), NotFound, NotFound, Redirect),
        new("PAGE", "/admin/therapists", Access.SelfPage, _ => Get("/admin/therapists"), NotFound, NotFound, Redirect),
        Page("/insights/report", "/insights/report?range=all"),
        new("PAGE", "/check-ins/{code}/results/{id:guid}", Access.SelfPage, c => Get($"/check-ins/gad7/results/{c.OwnerCheckIn}"), Ok, NotFound, Redirect),

        // ---- groups: B ----
        new("GET", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/room", Access.Self, c => Get(c.Group.Room), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/room/events", Access.Self, c => Send(HttpMethod.Post, c.Group.Room + "/events", new { type = "open", expectedVersion = 0 }), Ok, NotFound, Unauthorized),

        new("DELETE", "/api/v1/appointments/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/appointments/{c.OwnerAppointment}", null), NoContent, NotFound, Unauthorized),
        new("DELETE", "/api/v1/care/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/care/{c.OwnerCare}", null), NoContent, NotFound, Unauthorized),
        new("DELETE", "/api/v1/threads/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/threads/{c.OwnerThread}", null), NoContent, NotFound, Unauthorized),
        new("DELETE", "/api/v1/shares/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/shares/{c.OwnerShare}", null), NoContent, NotFound, Unauthorized),
        new("DELETE", "/api/v1/journal/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/journal/{c.OwnerEntry}", null), NoContent, NotFound, Unauthorized),
        new("DELETE", "/api/v1/push/subscriptions/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/push/subscriptions/{c.OwnerPush}", null), NoContent, NotFound, Unauthorized),
        new("DELETE", "/api/v1/circle/invitations/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/circle/invitations/{c.OwnerInvitation}", null), NoContent, NotFound, Unauthorized),
        new("DELETE", "/api/v1/circle/{memberId:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/circle/{c.OwnerMember}", null), NoContent, NotFound, Unauthorized),
        new("DELETE", "/api/v1/activations/{id:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/activations/{c.OwnerActivation}", null), NoContent, NotFound, Unauthorized),

        // ---- groups: D (board, attendance, membership, measures, endings) ----
        new("GET", "/api/v1/groups/{id:guid}/board", Access.Self, c => Get($"/api/v1/groups/{c.Group.Id}/board"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/board", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/board", new { text = "Glad to be here" }), HttpStatusCode.Created, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/board/{postId:guid}/witness", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/board/{c.Group.MemberBoardPost}/witness", new { kind = "hear" }), Ok, NotFound, Unauthorized),
        // The facilitator does not reserve a place at their own meeting, nor hold a member's settings.
        new("PUT", "/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/attendance", Access.Self, c => Send(HttpMethod.Put, $"/api/v1/groups/{c.Group.Id}/meetings/{c.Group.MeetingId}/attendance", new { coming = true }), BadRequest, NotFound, Unauthorized),
        new("PATCH", "/api/v1/groups/{id:guid}/membership", Access.Self, c => Send(HttpMethod.Patch, $"/api/v1/groups/{c.Group.Id}/membership", new { followUp = true }), NotFound, NotFound, Unauthorized),
        new("GET", "/api/v1/groups/{id:guid}/measures", Access.Self, c => Get($"/api/v1/groups/{c.Group.Id}/measures"), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/measures", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/measures", new { checkInId = Guid.NewGuid() }), BadRequest, NotFound, Unauthorized),
        new("PAGE", "/groups/{id:guid}/board", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/board"), Ok, NotFound, Redirect),
        new("PAGE", "/groups/{id:guid}/measures", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/measures"), Ok, NotFound, Redirect),
        new("PAGE", "/groups/{id:guid}/ending", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/ending"), Ok, NotFound, Redirect),
        new("PAGE", "/groups/{id:guid}/meetings/{meetingId:guid}/attendance", Access.SelfPage, c => Get($"/groups/{c.Group.Id}/meetings/{c.Group.MeetingId}/attendance"), Ok, NotFound, Redirect),
        // ---- groups: D, destructive, last: the owner's board post, then the ending and a follow-up cycle ----
        new("DELETE", "/api/v1/groups/{id:guid}/board/{postId:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/groups/{c.Group.Id}/board/{c.Group.OwnerBoardPost}", null), NoContent, NotFound, Unauthorized),
        // ---- groups: A, destructive, last ----
        new("DELETE", "/api/v1/groups/{id:guid}/members/{memberId:guid}", Access.Self, c => Send(HttpMethod.Delete, $"/api/v1/groups/{c.Group.Id}/members/{c.Group.Removable}", new { reason = "Thank you for coming" }), NoContent, NotFound, Unauthorized),
        // Both join the second group with its link (after every row where the stranger must get 404).
        new("POST", "/api/v1/groups/join/{token}", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/join/{c.Group.SecondToken}", null), Ok, Ok, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/close", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/close", null), Ok, NotFound, Unauthorized),
        new("POST", "/api/v1/groups/{id:guid}/follow-up", Access.Self, c => Send(HttpMethod.Post, $"/api/v1/groups/{c.Group.Id}/follow-up",
            new { meetings = new[] { new { startsAt = Support.Groups.Local(DateTime.UtcNow.AddDays(60)), minutes = 90 } } }), HttpStatusCode.Created, NotFound, Unauthorized),

        // Asking for two-factor setup creates an authenticator key, which (rightly) ends the caller's other sessions.
        new("POST", "/api/auth/manage/2fa", Access.Self, c => Send(HttpMethod.Post, "/api/auth/manage/2fa", new { password = c.Owner.Password }), Ok, BadRequest, Unauthorized),

        // Someone else's password deletes nothing; the owner's deletes the owner. Last.
        new("DELETE", "/api/v1/me", Access.Self, c => Send(HttpMethod.Delete, "/api/v1/me", new { password = c.Owner.Password }), NoContent, BadRequest, Unauthorized),
    ];

    [Fact]
    public void EveryMappedEndpoint_IsInTheMatrix_AndTheMatrixHasNothingElse()
    {
        var mapped = MappedEndpoints();
        var listed = Matrix.Select(c => $"{c.Method} {Normalize(c.Route)}").ToHashSet();
        var missing = mapped.Except(listed).OrderBy(x => x).ToList();
        var stale = listed.Except(mapped).OrderBy(x => x).ToList();
        Assert.True(missing.Count == 0, "Endpoints missing from the authorization matrix:\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Matrix rows for endpoints that no longer exist:\n" + string.Join("\n", stale));
    }

    [Fact]
    public async Task EveryEndpoint_AnswersEachCallerAsExpected_AndNeverShowsTheOwnersCanary()
    {
        var owner = await app.RegisterAsync(Canary);
        var ownerPages = await app.SignInPagesAsync(owner.Email);
        var otherDevice = await app.SignInAsync(owner.Email);
        var sessions = await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions");
        var otherSession = sessions.GetProperty("items").EnumerateArray().First(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
        var stranger = await app.RegisterAsync("Someone Else", password: "a different person's own passphrase");
        var strangerPages = await app.SignInPagesAsync(stranger.Email, stranger.Password);
        var checkIn = await owner.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 1, 1, 1, 1, 1, 1, 1 } });
        var checkInId = JsonDocument.Parse(await checkIn.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var practice = await owner.Api.PostAsJsonAsync("/api/v1/practices/safe-place/sessions", new { sudsBefore = 1 });
        var practiceId = JsonDocument.Parse(await practice.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var entry = await owner.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "drawing", title = Canary, text = Canary, tags = new[] { "canary" }, drawing = new { png = Convert.ToBase64String(TestImages.Png()) } });
        var entryId = JsonDocument.Parse(await entry.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var activation = await owner.Api.PostAsJsonAsync("/api/v1/activations", new { situation = Canary, needed = Canary, emotions = new[] { Canary }, intensity = 6, feltAge = 8, patterns = new[] { "critic" } });
        var activationId = JsonDocument.Parse(await activation.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var supporter = await app.RegisterAsync("A Supporter");
        var invite = await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = supporter.Email, name = Canary + " supporter" });
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var supporterToken = Mail.LinkIn(await app.MailAsync(supporter.Email, "invited")).Split('/')[^1];
        var accepted = await supporter.Api.PostAsync($"/api/v1/circle/invitations/{supporterToken}/accept", null);
        var memberId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("memberId").GetString()!;
        var pendingEmail = AttuneApp.NewEmail("pending");
        var pending = await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = pendingEmail, name = Canary + " pending" });
        var pendingId = JsonDocument.Parse(await pending.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var pendingToken = Mail.LinkIn(await app.MailAsync(pendingEmail, "invited")).Split('/')[^1];
        var reach = await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { message = Canary, urgency = "now" });
        var reachId = JsonDocument.Parse(await reach.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var pushed = await owner.Api.PostAsJsonAsync("/api/v1/push/subscriptions", new { endpoint = "https://fcm.googleapis.com/fcm/send/owner", keys = new { p256dh = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", auth = "BTBZMqHH6r4Tts7J_aSIgg" } });
        var pushId = JsonDocument.Parse(await pushed.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{reachId}/responses", new { kind = "here" })).StatusCode);
        var threadId = (await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{reachId}")).GetProperty("recipients")[0].GetProperty("threadId").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await owner.Api.PostAsJsonAsync($"/api/v1/threads/{threadId}/messages", new { text = Canary })).StatusCode);
        var share = await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entryId, withUserId = supporter.Id });
        Assert.Equal(HttpStatusCode.Created, share.StatusCode);
        var shareId = JsonDocument.Parse(await share.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var therapist = await app.RegisterAsync("A Therapist");
        var profileId = await Therapists.CreateAsync(therapist, "Dr Matrix");
        Assert.Equal(HttpStatusCode.NoContent, (await therapist.Api.PutAsJsonAsync("/api/v1/therapist-profile/photo", new { image = Convert.ToBase64String(TestImages.Png()) })).StatusCode);
        var careId = await Therapists.ConnectAsync(owner, therapist, profileId, message: Canary);
        var noteResponse = await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{owner.Id}/notes", new { text = "A note only its writer reads" });
        var noteId = JsonDocument.Parse(await Expect.StatusAsync(noteResponse, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        var proposal = await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{owner.Id}/appointments", new { options = new[] { DateTimeOffset.UtcNow.AddDays(5).ToString("o") }, where = Canary });
        var appointmentId = JsonDocument.Parse(await Expect.StatusAsync(proposal, HttpStatusCode.Created)).RootElement[0].GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await owner.Api.PostAsync($"/api/v1/appointments/{appointmentId}/accept", null)).StatusCode);
        var group = await Support.Groups.MatrixAsync(app, owner);
        var ctx = new Ctx(owner, stranger, otherSession, checkInId, practiceId, entryId, activationId, memberId, pendingId, pendingToken, reachId, pushId,
            threadId, shareId, supporter.Id, profileId, careId, noteId, appointmentId, group);
        using var anonymous = app.CreateClient();
        var failures = new List<string>();

        foreach (var c in Matrix)
        {
            var page = c.Method == "PAGE";
            await CheckAsync(c, "anonymous", anonymous, c.Anonymous, canaryAllowed: false);
            await CheckAsync(c, "stranger", page ? strangerPages.Http : stranger.Api, c.Stranger, canaryAllowed: false);
            await CheckAsync(c, "owner", page ? ownerPages.Http : owner.Api, c.Owner, canaryAllowed: true);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        _ = otherDevice;

        async Task CheckAsync(Case c, string who, HttpClient client, HttpStatusCode expected, bool canaryAllowed)
        {
            using var request = c.Request(ctx);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            // An event stream never ends by itself: its status and type are what matter here.
            var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
            if (response.StatusCode != expected)
                failures.Add($"{c.Method} {c.Route} as {who}: {(int)response.StatusCode}, expected {(int)expected}. {Trim(body)}");
            if (!canaryAllowed && (body.Contains(Canary, StringComparison.Ordinal) || body.Contains(owner.Email, StringComparison.OrdinalIgnoreCase)))
                failures.Add($"{c.Method} {c.Route} as {who}: shows the owner's data");
            if (response.StatusCode == Redirect && c.Access == Access.SelfPage && who == "anonymous"
                && response.Headers.Location?.OriginalString.Contains("/account/sign-in", StringComparison.Ordinal) != true)
                failures.Add($"{c.Method} {c.Route} as anonymous: redirects somewhere other than sign-in");
        }
    }

    private HashSet<string> MappedEndpoints()
    {
        var result = new HashSet<string>();
        foreach (var endpoint in app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = Normalize(endpoint.RoutePattern.RawText ?? "");
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            var isPage = endpoint.Metadata.Any(m => m.GetType().FullName == "Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor" || m is Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor);
            if (isPage) { result.Add($"PAGE {route}"); continue; }
            foreach (var method in methods ?? ["ANY"]) result.Add($"{method} {route}");
        }
        return result;
    }

    private static string Normalize(string route) => "/" + route.Trim('/');

    private static string Trim(string body) => body.Length > 300 ? body[..300] + "…" : body;
}
