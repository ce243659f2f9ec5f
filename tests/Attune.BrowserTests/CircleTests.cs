using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>Two people in two browsers: one reaches out, the other sees it live and answers, the first sees the answer live.</summary>
public sealed class CircleTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task AReach_IsSeenAndAnsweredLive_InTwoBrowsers()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Robin Browser");
        var supporter = await app.RegisterAsync("Sam Browser");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = supporter.Email, name = "Sam" }), HttpStatusCode.Created);
        var link = new Uri(Mail.LinkIn(Mail.Latest(app.MailDirectory, supporter.Email, "invited")));

        var (supporterContext, supporterPage) = await fixture.SignedInAsync(supporter);
        await supporterPage.GotoAsync(link.AbsolutePath);
        await Assertions.Expect(supporterPage.GetByText("Robin Browser")).ToBeVisibleAsync();
        await Accessibility.AssertAsync(supporterPage);
        await supporterPage.GetByRole(AriaRole.Button, new() { Name = "Yes, I'll be there" }).ClickAsync();
        await Assertions.Expect(supporterPage.GetByRole(AriaRole.Heading, new() { Name = "Holding space: a short guide for supporters" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(supporterPage);
        await supporterPage.GotoAsync("/circle");

        var (personContext, personPage) = await fixture.SignedInAsync(person);
        await personPage.GetByRole(AriaRole.Link, new() { Name = "Reach out" }).First.ClickAsync();
        await Accessibility.AssertAsync(personPage);
        await personPage.GetByLabel("A few words").FillAsync("Old stuff came up after the call.");
        await personPage.GetByRole(AriaRole.Button, new() { Name = "Reach out" }).ClickAsync();
        await personPage.ArrivedAsync("**/reaches/*");
        await Assertions.Expect(personPage.GetByText("sent — they'll see it soon")).ToBeVisibleAsync();

        // The supporter, on another page, is told live, opens it and answers.
        var notice = supporterPage.Locator("[data-live-notice]");
        await Assertions.Expect(notice).ToContainTextAsync("Someone in your circle reached out");
        await notice.GetByRole(AriaRole.Link, new() { Name = "See who, and answer" }).ClickAsync();
        await Assertions.Expect(supporterPage.GetByRole(AriaRole.Heading, new() { Name = "Robin Browser reached out" })).ToBeVisibleAsync();
        await Assertions.Expect(supporterPage.GetByText("Old stuff came up after the call.")).ToBeVisibleAsync();
        await Accessibility.AssertAsync(supporterPage);

        // The person sees "seen", then the answer, without reloading.
        await Assertions.Expect(personPage.GetByText("has seen it")).ToBeVisibleAsync();
        await supporterPage.GetByLabel("A few words").FillAsync("I'm right here. Call me?");
        await supporterPage.GetByRole(AriaRole.Button, new() { Name = "I'm here" }).ClickAsync();
        await Assertions.Expect(supporterPage.GetByRole(AriaRole.Heading, new() { Name = "You said you're here" })).ToBeVisibleAsync();
        await Assertions.Expect(personPage.GetByText("“I'm right here. Call me?”")).ToBeVisibleAsync();
        await Assertions.Expect(personPage.Locator("[data-recipient]")).ToContainTextAsync("Sam: I'm here");
        await Accessibility.AssertAsync(personPage);
        await personContext.CloseAsync();
        await supporterContext.CloseAsync();
    }

    [BrowserFact]
    public async Task AnAnswerGivenBeforeThePagesStreamConnected_StillAppears_WithoutReloading()
    {
        // A page is sent, and only then does its live stream connect (after a form post, on a slow
        // phone). Whatever happened in that gap must still show: the page catches up when the stream opens.
        var app = fixture.App;
        var person = await app.RegisterAsync("Robin Gap");
        var supporter = await app.RegisterAsync("Sam Gap");
        await Circles.JoinAsync(app, person, supporter, "Sam");
        var reach = await person.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "now" });
        var reachId = System.Text.Json.JsonDocument.Parse(await Expect.StatusAsync(reach, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();

        var (personContext, personPage) = await fixture.SignedInAsync(person);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await personPage.RouteAsync("**/live", async route => { held.TrySetResult(); await release.Task; await route.ContinueAsync(); });
        await personPage.GotoAsync($"/reaches/{reachId}");
        await held.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await Assertions.Expect(personPage.GetByText("“On my way.”")).Not.ToBeVisibleAsync();

        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{reachId}/responses", new { kind = "here", message = "On my way." }), HttpStatusCode.OK);
        release.SetResult();
        await Assertions.Expect(personPage.GetByText("“On my way.”")).ToBeVisibleAsync();
        await personContext.CloseAsync();
    }

    [BrowserFact]
    public async Task ImHere_OpensAConversation_AndASharedEntryIsWitnessed_LiveInTwoBrowsers()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Robin Sharer");
        var supporter = await app.RegisterAsync("Sam Witness");
        await Circles.JoinAsync(app, person, supporter, "Sam");
        var reach = await person.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "now" });
        var reachId = System.Text.Json.JsonDocument.Parse(await Expect.StatusAsync(reach, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var entry = await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "letter", title = "To me at nine", text = "You were braver than anyone knew.", letter = new { direction = "toYounger", age = 9 } });
        var entryId = System.Text.Json.JsonDocument.Parse(await Expect.StatusAsync(entry, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();

        var (supporterContext, supporterPage) = await fixture.SignedInAsync(supporter);
        var (personContext, personPage) = await fixture.SignedInAsync(person);
        await personPage.GotoAsync($"/reaches/{reachId}");
        await supporterPage.GotoAsync($"/reaches/{reachId}");
        await supporterPage.GetByRole(AriaRole.Button, new() { Name = "I'm here" }).ClickAsync();
        await supporterPage.GetByRole(AriaRole.Link, new() { Name = "Open your conversation with Robin Sharer" }).ClickAsync();
        await Assertions.Expect(supporterPage.GetByRole(AriaRole.Heading, new() { Name = "You and Robin Sharer" })).ToBeVisibleAsync();

        // The person's reach page offers the conversation live; a message written there arrives live.
        await personPage.GetByRole(AriaRole.Link, new() { Name = "Talk with Sam" }).ClickAsync();
        await Assertions.Expect(personPage.GetByRole(AriaRole.Heading, new() { Name = "You and Sam" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(personPage);
        await personPage.GetByLabel("Your message").FillAsync("Thank you for coming.");
        await personPage.GetByLabel("Your message").PressAsync("Control+Enter");
        await Assertions.Expect(supporterPage.GetByText("Thank you for coming.")).ToBeVisibleAsync();
        await supporterPage.GetByLabel("Your message").FillAsync("Of course. I'm not going anywhere.");
        await supporterPage.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(personPage.GetByText("Of course. I'm not going anywhere.")).ToBeVisibleAsync();
        await Accessibility.AssertAsync(supporterPage);

        // Sharing a letter with Sam, who reads it and reflects back; Robin sees the reflection live.
        await personPage.GotoAsync($"/journal/{entryId}");
        await personPage.GetByRole(AriaRole.Link, new() { Name = "Share with someone…" }).ClickAsync();
        await Accessibility.AssertAsync(personPage);
        await personPage.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true }).ClickAsync();
        await personPage.ArrivedAsync("**/shares/*");
        await Assertions.Expect(personPage.GetByText("Sam hasn't opened it yet.")).ToBeVisibleAsync();

        await supporterPage.GotoAsync("/shared");
        await Accessibility.AssertAsync(supporterPage);
        await supporterPage.GetByRole(AriaRole.Link, new() { Name = "To me at nine" }).ClickAsync();
        await Assertions.Expect(supporterPage.GetByText("You were braver than anyone knew.")).ToBeVisibleAsync();
        await supporterPage.GetByLabel("Your reflection").FillAsync("You should be proud.");
        await supporterPage.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(supporterPage.GetByText("Would you like to reflect what you heard instead?")).ToBeVisibleAsync();
        await Accessibility.AssertAsync(supporterPage);
        await supporterPage.GetByLabel("Your reflection").FillAsync("I hear how much that nine-year-old carried alone.");
        await supporterPage.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(supporterPage.GetByText("I hear how much that nine-year-old carried alone.")).ToBeVisibleAsync();

        await Assertions.Expect(personPage.GetByText("I hear how much that nine-year-old carried alone.")).ToBeVisibleAsync();
        await personPage.ReloadAsync();
        await Assertions.Expect(personPage.Locator("section[aria-labelledby=reads-heading] li").First).ToContainTextAsync("Sam");
        await Accessibility.AssertAsync(personPage);

        // Taking it back: the reader's open page says so gently, in place, with a way on.
        var shareId = personPage.Url.Split('/')[^1].Split('?')[0];
        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NoContent);
        await Assertions.Expect(supporterPage.GetByText("This is no longer shared with you.", new() { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(supporterPage.GetByRole(AriaRole.Link, new() { Name = "Grounding" }).First).ToBeVisibleAsync();
        await Accessibility.AssertAsync(supporterPage);
        await personContext.CloseAsync();
        await supporterContext.CloseAsync();
    }
}
