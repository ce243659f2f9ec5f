using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Home;

/// <summary>
/// Issue 23's moments over HTTP: an invitation carried through sign-up, quick exit's sign-out only
/// for those who chose it, where signing in lands, and a share that was taken back said kindly.
/// </summary>
public sealed class MomentsPagesTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task AnInvitation_OpenedWithoutAnAccount_SaysWhatItIs_NotWhoSentIt_AndIsCarriedThroughConfirmation()
    {
        var inviter = await app.RegisterAsync("Robin Sender Canary");
        var email = AttuneApp.NewEmail("newcomer");
        await Expect.StatusAsync(await inviter.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email, name = "Newcomer" }), HttpStatusCode.Created);
        var path = new Uri(Mail.LinkIn(Mail.Latest(app.MailDirectory, email, "invited"))).AbsolutePath;

        using var visitor = app.AnonymousPages();
        var page = await visitor.GetPageAsync(path);
        Assert.Contains("Someone who trusts you has asked you", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Robin Sender Canary", page, StringComparison.Ordinal);
        var back = Uri.EscapeDataString(path);
        Assert.Contains($"/account/register?returnUrl={back}", page, StringComparison.Ordinal);

        var register = await visitor.PostFormAsync($"/account/register?returnUrl={back}", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = AttuneApp.DefaultPassword,
            ["ReturnUrl"] = path,
        }, "/account/register");
        Assert.Equal(HttpStatusCode.Redirect, register.StatusCode);
        Assert.Contains("returnUrl=" + back, register.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        var confirm = Mail.LinkIn(Mail.Latest(app.MailDirectory, email, "Confirm"));
        Assert.Contains("returnUrl=" + back, confirm, StringComparison.Ordinal);
        var confirmed = await visitor.GetPageAsync(new Uri(confirm).PathAndQuery);
        Assert.Contains($"href=\"/account/sign-in?ReturnUrl={back}\"", confirmed, StringComparison.Ordinal);

        // Somewhere else entirely is never carried.
        var other = AttuneApp.NewEmail("elsewhere");
        await visitor.PostFormAsync("/account/register", new()
        {
            ["Input.Email"] = other,
            ["Input.Password"] = AttuneApp.DefaultPassword,
            ["ReturnUrl"] = "https://elsewhere.example/steal",
        });
        Assert.DoesNotContain("elsewhere.example", Mail.Latest(app.MailDirectory, other, "Confirm").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuickExit_SignsOutOnlyThoseWhoChoseIt()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        var kept = await pages.PostFormAsync("/account/sign-out?handler=QuickExit", new(), "/");
        Assert.Equal(HttpStatusCode.NoContent, kept.StatusCode);
        await pages.GetPageAsync("/account");

        var chose = await pages.PostFormAsync("/account", new()
        {
            ["Input.DisplayName"] = "Leaving Quickly",
            ["Input.TimeZone"] = "Europe/Dublin",
            ["Input.Country"] = "IE",
            ["Input.QuickExitSignsOut"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, chose.StatusCode);
        var left = await pages.PostFormAsync("/account/sign-out?handler=QuickExit", new(), "/");
        Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);
        var after = await pages.Http.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/sign-in", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningIn_LandsATherapistWithPeopleOnTheirWorkspace_AndEveryoneElseOnToday()
    {
        var person = await app.RegisterAsync();
        var therapist = await app.RegisterAsync();
        using (var pages = await app.SignInPagesAsync(therapist.Email))
            Assert.Equal("/", (await pages.Http.GetAsync("/start")).Headers.Location!.OriginalString);
        await Therapists.ConnectAsync(person, therapist, await Therapists.CreateAsync(therapist, "Dr Landing"));
        using var again = await app.SignInPagesAsync(therapist.Email);
        Assert.Equal("/caseload", (await again.Http.GetAsync("/start")).Headers.Location!.OriginalString);
        Assert.Contains("href=\"/caseload\">Workspace</a>", await again.GetPageAsync("/journal"), StringComparison.Ordinal);
        using var personPages = await app.SignInPagesAsync(person.Email);
        Assert.Equal("/", (await personPages.Http.GetAsync("/start")).Headers.Location!.OriginalString);
        Assert.DoesNotContain(">Workspace</a>", await personPages.GetPageAsync("/journal"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShareTakenBack_AnswersNotFound_WithAKindPage_AndNoErrorReference()
    {
        var owner = await app.RegisterAsync();
        var reader = await app.RegisterAsync();
        await Circles.JoinAsync(app, owner, reader, "Reader");
        var entry = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "Taken back canary" }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var share = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = reader.Id }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        await Expect.StatusAsync(await owner.Api.DeleteAsync($"/api/v1/shares/{share}"), HttpStatusCode.NoContent);
        using var pages = await app.SignInPagesAsync(reader.Email);
        var response = await pages.Http.GetAsync($"/shares/{share}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("This isn&#x27;t shared with you now", body, StringComparison.Ordinal);
        Assert.DoesNotContain("reference", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Taken back canary", body, StringComparison.Ordinal);
    }
}
