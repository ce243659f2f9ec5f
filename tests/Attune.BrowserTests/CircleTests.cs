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
        await personPage.WaitForURLAsync("**/reaches/*");
        await Assertions.Expect(personPage.GetByText("it has reached them")).ToBeVisibleAsync();

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
        await Assertions.Expect(supporterPage.GetByRole(AriaRole.Status)).ToContainTextAsync("You answered: I'm here");
        await Assertions.Expect(personPage.GetByText("“I'm right here. Call me?”")).ToBeVisibleAsync();
        await Assertions.Expect(personPage.Locator("[data-recipient]")).ToContainTextAsync("Sam: I'm here");
        await Accessibility.AssertAsync(personPage);
        await personContext.CloseAsync();
        await supporterContext.CloseAsync();
    }
}
