using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// Issue 23, reaching out and being answered, and first use, walked on a phone: after "I'm here"
/// each view speaks to its reader, live (item 6); an invited supporter keeps the invitation through
/// sign-up and is welcomed (items 7 and 9); Today fits the person's relationships (item 8).
/// </summary>
public sealed class MomentsPeopleTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> PhoneAsync(Person person, string landing = "**/")
    {
        var context = await fixture.NewContextAsync(BrowserFixture.Phone(fixture.App.BaseUrl));
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, person.Email, person.Password, landing);
        return page;
    }

    [BrowserFact]
    public async Task Item6_AfterImHere_EachViewSpeaksToItsReader_AndUpdatesLive()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Robin");
        var friend = await app.RegisterAsync("Sam Here");
        await Circles.JoinAsync(app, person, friend, "Sam");
        var p = await PhoneAsync(person);
        var s = await PhoneAsync(friend);

        await p.Locator(".safety-bar").GetByRole(AriaRole.Link, new() { Name = "Reach out" }).ClickAsync();
        await p.GetByLabel("A few words").FillAsync("Can't sleep, everything is too loud tonight.");
        await p.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Reach out" }).ClickAsync();
        await p.ArrivedAsync("**/reaches/*");
        await Assertions.Expect(p.GetByText("sent — they'll see it soon")).ToBeVisibleAsync();
        var reach = new Uri(p.Url).AbsolutePath;

        await s.GotoAsync(reach);
        await s.GetByLabel("A few words").FillAsync("I'm here. Put the kettle on, I'll stay as long as you like.");
        await s.GetByRole(AriaRole.Button, new() { Name = "I'm here" }).ClickAsync();
        await Assertions.Expect(s.GetByRole(AriaRole.Heading, new() { Name = "You said you're here" })).ToBeVisibleAsync();
        await Assertions.Expect(s.GetByRole(AriaRole.Button, new() { Name = "I can talk soon" })).ToHaveCountAsync(0);
        await Assertions.Expect(s.GetByRole(AriaRole.Button, new() { Name = "I can't right now — thinking of you" })).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(s, "07-supporter-after-im-here-phone");
        await Accessibility.AssertAsync(s);

        // The person's page changes by itself: someone is here, and nothing about moving on.
        await Assertions.Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Sam is here" })).ToBeVisibleAsync();
        await Assertions.Expect(p.GetByText("within 10 minutes", new() { Exact = false })).ToHaveCountAsync(0);
        await Assertions.Expect(p.GetByText("see it here straight away", new() { Exact = false })).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(p, "08-person-sam-is-here-phone");
        await Accessibility.AssertAsync(p);
        await p.GetByRole(AriaRole.Link, new() { Name = "Talk with Sam" }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Heading, new() { Name = "You and Sam" })).ToBeVisibleAsync();
        await Assertions.Expect(p.GetByText("Put the kettle on", new() { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(p.GetByText("You could start", new() { Exact = false })).ToHaveCountAsync(0);
        await Assertions.Expect(p.GetByText("Ctrl+Enter", new() { Exact = false })).ToBeHiddenAsync();
        // It starts where it began, with the person's own words; advice for the supporter is theirs only.
        var began = p.GetByRole(AriaRole.Region, new() { Name = "Where this began" });
        await Assertions.Expect(began).ToContainTextAsync("You reached out:");
        await Assertions.Expect(began).ToContainTextAsync("everything is too loud tonight");
        Assert.True(await p.EvaluateAsync<bool>("!!(document.querySelector('[data-began]').compareDocumentPosition(document.querySelector('[data-thread-live]')) & Node.DOCUMENT_POSITION_FOLLOWING)"),
            "The reach's words come after the conversation");
        await Assertions.Expect(p.GetByRole(AriaRole.Link, new() { Name = "How to hold space" })).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(p, "09-person-conversation-phone");
        await Accessibility.AssertAsync(p);
        await s.GetByRole(AriaRole.Link, new() { Name = "Open your conversation with Robin" }).ClickAsync();
        await Assertions.Expect(s.GetByRole(AriaRole.Region, new() { Name = "Where this began" })).ToContainTextAsync("Robin reached out:");
        await Assertions.Expect(s.GetByRole(AriaRole.Link, new() { Name = "How to hold space" })).ToBeVisibleAsync();
        await p.Context.CloseAsync();
        await s.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Items7and9_AnInvitedSupporter_KeepsTheInvitationThroughSignUp_AndIsWelcomedInTheirOwnCountryAndZone()
    {
        var app = fixture.App;
        var inviter = await app.RegisterAsync("Robin Asks");
        var email = AttuneApp.NewEmail("invited");
        await Expect.StatusAsync(await inviter.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email, name = "Ari" }), HttpStatusCode.Created);
        var link = new Uri(Mail.LinkIn(Mail.Latest(app.MailDirectory, email, "invited"))).AbsolutePath;

        var context = await fixture.NewContextAsync(BrowserFixture.Phone(app.BaseUrl, locale: "en-IE", timeZone: "Europe/Dublin"));
        var page = await context.NewPageAsync();
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByText("Someone who trusts you has asked you", new() { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Robin Asks")).ToHaveCountAsync(0); // who sent it waits for the invited address
        await Screenshots.TakeAsync(page, "10-invitation-before-account-phone", fullPage: true);
        await Accessibility.AssertAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).Last.ClickAsync();
        await Assertions.Expect(page.GetByText("you'll go straight back to the invitation", new() { Exact = false })).ToBeVisibleAsync();
        await page.GetByLabel("What should we call you?").FillAsync("Ari");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AttuneApp.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await page.ArrivedAsync("**/account/check-email*");
        await Assertions.Expect(page.GetByText("Your invitation is waiting", new() { Exact = false })).ToBeVisibleAsync();

        await page.GotoAsync(new Uri(Mail.LinkIn(Mail.Latest(app.MailDirectory, email, "Confirm"))).PathAndQuery);
        await Assertions.Expect(page.GetByText("go straight back to your invitation", new() { Exact = false })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AttuneApp.DefaultPassword);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.ArrivedAsync("**/circle/invitations/*");
        await Assertions.Expect(page.GetByText("Robin Asks has asked you to be one of their trusted people", new() { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("they can reach out to you", new() { Exact = false })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "11-invitation-signed-in-phone", fullPage: true);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, I'll be there" }).ClickAsync();
        await page.ArrivedAsync("**/circle/guide*");

        // The first visit home: a short welcome, country from the browser's language, zone from the device.
        await page.GotoAsync("/");
        var welcome = page.GetByRole(AriaRole.Region, new() { Name = "Welcome to Attune" });
        await Assertions.Expect(welcome).ToBeVisibleAsync();
        await Assertions.Expect(welcome.GetByLabel("Where do you live?")).ToHaveValueAsync("IE");
        await Assertions.Expect(welcome.GetByLabel("Your time zone")).ToHaveValueAsync("Europe/Dublin");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your first step" })).ToHaveCountAsync(1);
        await page.Locator("#welcome-heading").EvaluateAsync("h => h.scrollIntoView({ block: 'start' })");
        await Screenshots.TakeAsync(page, "12-welcome-phone");
        await Accessibility.AssertAsync(page);
        await welcome.GetByRole(AriaRole.Button, new() { Name = "That's right, go on" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Crisis lines for Ireland");
        await Assertions.Expect(welcome).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "13-today-after-welcome-phone");
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task Item8_TodayShowsThePersonsPeople_ASupporterSeesThemFirst_AndATherapistLandsOnTheirWorkspace()
    {
        var app = fixture.App;
        var robin = await app.RegisterAsync("Robin Today");
        var sam = await app.RegisterAsync("Sam Today");
        var maya = await app.RegisterAsync("Maya Today");
        var samMember = await Circles.JoinAsync(app, robin, sam, "Sam");
        var mayaMember = await Circles.JoinAsync(app, robin, maya, "Maya");
        var hour = app.Clock.GetUtcNow().UtcDateTime.Hour; // Maya's hours (in UTC, her zone) are later today
        await Expect.StatusAsync(await maya.Api.PatchAsJsonAsync($"/api/v1/circle/{mayaMember}", new
        {
            availableFrom = $"{(hour + 2) % 24:00}:00",
            availableTo = $"{(hour + 3) % 24:00}:00",
            talkNowAnytime = false,
        }), HttpStatusCode.OK);
        var entry = JsonDocument.Parse(await Expect.StatusAsync(await robin.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "A small brave thing today." }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var share = JsonDocument.Parse(await Expect.StatusAsync(await robin.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = sam.Id }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        await Expect.StatusAsync(await sam.Api.PostAsJsonAsync($"/api/v1/shares/{share}/witness", new { text = "I hear how brave that was." }), HttpStatusCode.Created);
        var therapist = await app.RegisterAsync("Dr Near");
        await Therapists.ConnectAsync(robin, therapist, await Therapists.CreateAsync(therapist, "Dr Near"), journey: true);
        var start = app.Clock.GetUtcNow().AddDays(3).ToString("yyyy-MM-dd'T'10:00:00'Z'", CultureInfo.InvariantCulture);
        var proposal = await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{robin.Id}/appointments", new { options = new[] { start } });
        var appointment = JsonDocument.Parse(await Expect.StatusAsync(proposal, HttpStatusCode.Created)).RootElement[0].GetProperty("id").GetString();
        await Expect.StatusAsync(await robin.Api.PostAsync($"/api/v1/appointments/{appointment}/accept", null), HttpStatusCode.OK);
        var due = app.Clock.GetUtcNow().AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Expect.StatusAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{robin.Id}/assignments", new { practice = "safe-place", dueAt = due }), HttpStatusCode.Created);

        // Robin: the circle, who can be reached now, a new reflection, the therapist and the next time to meet.
        var r = await PhoneAsync(robin);
        await r.GetByRole(AriaRole.Button, new() { Name = "That's right, go on" }).ClickAsync();
        var people = r.GetByRole(AriaRole.Region, new() { Name = "Your people" });
        await Assertions.Expect(people).ToContainTextAsync("In your circle: Sam and Maya.");
        await Assertions.Expect(people).ToContainTextAsync("Sam can be reached now.");
        await Assertions.Expect(people).ToContainTextAsync("Sam wrote back about a journal entry you shared");
        await Assertions.Expect(people).ToContainTextAsync("Your therapist: Dr Near");
        await Assertions.Expect(people).ToContainTextAsync("Next time to meet with Dr Near");
        await Assertions.Expect(r.GetByRole(AriaRole.Heading, new() { Name = "Suggested by your therapist" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(r, "14-today-person-phone", fullPage: true);
        await Accessibility.AssertAsync(r);
        var desktop = await fixture.NewContextAsync(new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        var d = await desktop.NewPageAsync();
        await BrowserFixture.SignInAsync(d, robin.Email, robin.Password);
        await Assertions.Expect(d.GetByRole(AriaRole.Region, new() { Name = "Your people" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(d, "15-today-person-desktop", fullPage: true);
        await desktop.CloseAsync();
        // Opening the reflection makes it no longer new.
        await people.GetByRole(AriaRole.Link, new() { Name = "Read what they wrote" }).ClickAsync();
        await r.GotoAsync("/");
        await Assertions.Expect(r.GetByText("wrote back about", new() { Exact = false })).ToHaveCountAsync(0);

        // Sam, here to support: Robin's reach first, then the people Sam supports, before any journey of Sam's own.
        await Expect.StatusAsync(await robin.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "now", to = new[] { samMember } }), HttpStatusCode.Created);
        var s = await PhoneAsync(sam);
        var reachCard = s.GetByRole(AriaRole.Region, new() { Name = "Robin Today reached out" });
        var supporting = s.GetByRole(AriaRole.Region, new() { Name = "People you support" });
        var step = s.GetByRole(AriaRole.Region, new() { Name = "Your first step" });
        await Assertions.Expect(reachCard).ToBeVisibleAsync();
        var (y1, y2, y3) = ((await reachCard.BoundingBoxAsync())!.Y, (await supporting.BoundingBoxAsync())!.Y, (await step.BoundingBoxAsync())!.Y);
        Assert.True(y1 < y2 && y2 < y3, $"Order on Sam's Today: reach {y1}, people {y2}, first step {y3}");
        await Screenshots.TakeAsync(s, "16-today-supporter-phone", fullPage: true);
        await Accessibility.AssertAsync(s);

        // The therapist lands on the workspace, and every page offers the way back to it.
        var t = await PhoneAsync(therapist, landing: "**/caseload");
        await Assertions.Expect(t.GetByRole(AriaRole.Heading, new() { Name = "Your workspace" })).ToBeVisibleAsync();
        await t.GotoAsync("/");
        // On a phone the workspace is under "More" in the bottom bar.
        await t.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByText("More", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(t.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Workspace" })).ToHaveCountAsync(1);
        await t.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByText("More", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(t.GetByRole(AriaRole.Region, new() { Name = "Your workspace" })).ToContainTextAsync("1 person is in your care");
        await Screenshots.TakeAsync(t, "17-today-therapist-phone", fullPage: true);
        foreach (var page in new[] { r, s, t }) await page.Context.CloseAsync();
    }
}
