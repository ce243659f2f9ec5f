using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// Both sides of care in two browsers: a therapist publishes a profile; a newcomer finds it in the
/// directory without signing in, asks to connect, and chooses one consent; the therapist's
/// workspace shows exactly that; an assignment goes out and comes back done.
/// </summary>
public sealed class CareTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task ANewcomerFindsATherapist_Connects_ConsentsToASubset_AndAnAssignmentGoesOutAndComesBack()
    {
        var app = fixture.App;
        var word = "Kingfisher" + Guid.NewGuid().ToString("N")[..6];
        var therapist = await app.RegisterAsync("Rowan Therapist");
        var person = await app.RegisterAsync("Jo Newcomer");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 1, 1, 1, 0, 0, 0, 1, 0, 0 } }), HttpStatusCode.Created);

        // The therapist writes and publishes a profile.
        var (therapistContext, t) = await fixture.SignedInAsync(therapist);
        await t.GotoAsync("/care");
        await t.GetByRole(AriaRole.Link, new() { Name = "create a therapist profile" }).ClickAsync();
        await Accessibility.AssertAsync(t);
        await t.GetByLabel("Name", new() { Exact = true }).FillAsync("Rowan Therapist");
        await t.GetByLabel("Internal Family Systems (IFS)").CheckAsync();
        await t.GetByLabel("Online", new() { Exact = true }).CheckAsync();
        await t.GetByLabel("Country").SelectOptionAsync("GB");
        await t.GetByLabel("Languages you work in").FillAsync("English, Welsh");
        await t.GetByLabel("About you and how you work").FillAsync($"Slow, warm parts work. {word}");
        await t.GetByLabel("Show my profile in the public directory").CheckAsync();
        await t.GetByRole(AriaRole.Button, new() { Name = "Save my profile" }).ClickAsync();
        await Assertions.Expect(t.GetByRole(AriaRole.Status)).ToContainTextAsync("Your profile is in the directory");

        // A newcomer, not signed in, finds it.
        var personContext = await fixture.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var p = await personContext.NewPageAsync();
        await p.GotoAsync("/");
        await p.GetByRole(AriaRole.Link, new() { Name = "Find a therapist" }).ClickAsync();
        await Accessibility.AssertAsync(p);
        await p.GetByLabel("Words to look for").FillAsync(word);
        await p.GetByLabel("Way of working").SelectOptionAsync("ifs");
        await p.GetByLabel("Only those taking new people").CheckAsync();
        await p.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await p.GetByRole(AriaRole.Link, new() { Name = "Rowan Therapist" }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Rowan Therapist" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(p);
        await p.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await p.GetByLabel("Email").FillAsync(person.Email);
        await p.GetByLabel("Password", new() { Exact = true }).FillAsync(person.Password);
        await p.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Ask to connect" })).ToBeVisibleAsync();
        await p.GetByLabel("A short message").FillAsync("I'd like help with an old fear of being left.");
        await p.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).ClickAsync();
        await Assertions.Expect(p.GetByText("They haven't answered yet.")).ToBeVisibleAsync();
        await Accessibility.AssertAsync(p);

        // The therapist reads it and says yes.
        await t.GotoAsync("/caseload");
        await Assertions.Expect(t.GetByText("I'd like help with an old fear of being left.")).ToBeVisibleAsync();
        await Accessibility.AssertAsync(t);
        await t.GetByRole(AriaRole.Button, new() { Name = "Say yes" }).ClickAsync();
        await Assertions.Expect(t.GetByRole(AriaRole.Status)).ToContainTextAsync("You're connected with Jo Newcomer");

        // The person shares check-in scores only.
        await p.ReloadAsync();
        await p.GetByLabel("My check-in scores and how they change").CheckAsync();
        await p.GetByRole(AriaRole.Button, new() { Name = "Save what they may see" }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Status)).ToContainTextAsync("takes effect straight away");
        await Accessibility.AssertAsync(p);

        // The workspace shows exactly that subset.
        await t.GotoAsync("/caseload");
        await t.GetByRole(AriaRole.Link, new() { Name = "Jo Newcomer" }).ClickAsync();
        await Assertions.Expect(t.GetByText("They have shared: check-ins.")).ToBeVisibleAsync();
        var checkIns = t.GetByRole(AriaRole.Table, new() { Name = "Check-in scores" });
        await Assertions.Expect(checkIns).ToContainTextAsync("4 of 27");
        await Assertions.Expect(t.Locator("section", new() { Has = t.GetByRole(AriaRole.Heading, new() { Name = "Journey" }) })).ToContainTextAsync("Not shared.");
        await Assertions.Expect(t.Locator("section", new() { Has = t.GetByRole(AriaRole.Heading, new() { Name = "Reactions in numbers" }) })).ToContainTextAsync("Not shared.");
        await Accessibility.AssertAsync(t);

        // An assignment goes out…
        await t.GetByLabel("Practice or check-in").SelectOptionAsync("checkin:gad7");
        await t.GetByLabel("Due by").FillAsync(DateTime.UtcNow.AddDays(5).ToString("yyyy-MM-dd"));
        await t.GetByLabel("A note for them").FillAsync("Just to see where things are this week.");
        await t.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(t.GetByRole(AriaRole.Status)).ToContainTextAsync("Sent.");
        await Assertions.Expect(t.GetByText("not done yet")).ToBeVisibleAsync();

        // …reaches the person's Today, is done there…
        await p.GotoAsync("/");
        await Assertions.Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Suggested by your therapist" })).ToBeVisibleAsync();
        await Assertions.Expect(p.GetByText("Just to see where things are this week.")).ToBeVisibleAsync();
        await Accessibility.AssertAsync(p);
        await p.GetByRole(AriaRole.Link, new() { Name = "Anxiety check-in (GAD-7)" }).ClickAsync();
        await p.ArrivedAsync("**/check-ins/gad7");
        for (var i = 0; i < 7; i++) await p.Locator($"#q{i}-1").CheckAsync();
        await p.GetByRole(AriaRole.Button, new() { Name = "See my result" }).ClickAsync();
        await p.ArrivedAsync("**/results/*");

        // …and comes back, with the score because check-ins are shared.
        await t.ReloadAsync();
        await Assertions.Expect(t.GetByText("score 7")).ToBeVisibleAsync();

        // A private message arrives live on the person's open conversation page.
        await p.GotoAsync("/care");
        await p.GetByRole(AriaRole.Link, new() { Name = "Messages with Rowan Therapist" }).ClickAsync();
        await Assertions.Expect(p.GetByRole(AriaRole.Heading, new() { Name = "You and Rowan Therapist" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(p);
        await t.GetByRole(AriaRole.Link, new() { Name = "Messages with Jo Newcomer" }).ClickAsync();
        await t.GetByLabel("Your message").FillAsync("Thank you for the check-in. See you Tuesday.");
        await t.GetByLabel("Your message").PressAsync("Control+Enter");
        await Assertions.Expect(p.GetByText("Thank you for the check-in. See you Tuesday.")).ToBeVisibleAsync();
        await Accessibility.AssertAsync(t);
        await personContext.CloseAsync();
        await therapistContext.CloseAsync();
    }
}
