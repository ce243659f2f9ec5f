using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// Issue 23, safety first, walked on a phone (390×844): writing through the moment the crisis note
/// appears, quick exit and Back, the safety bar at every scroll position (items 1 and 2); the
/// worst moments offering one's own people in one tap, nobody able to come said at once, and the
/// PHQ-9 item 9 result saying who can see it (items 3, 4 and 5).
/// </summary>
public sealed class MomentsSafetyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Neutral = "https://www.bbc.com/weather";

    private static ILocator Status(IPage page) => page.Locator("[data-save-status]");

    private async Task<IPage> PhoneAsync(Person person)
    {
        var context = await fixture.NewContextAsync(BrowserFixture.Phone(fixture.App.BaseUrl));
        await context.RouteAsync("https://www.bbc.com/**", route => route.FulfillAsync(new() { Body = "<title>Weather</title>weather", ContentType = "text/html" }));
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, person.Email, person.Password);
        return page;
    }

    [BrowserFact]
    public async Task Item1and2_WritingThroughTheCrisisNote_LosesNothing_QuickExitKeepsBackAway_AndTheBarStaysInReach()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Kit");
        await Circles.JoinAsync(app, person, await app.RegisterAsync("Lee"), "Lee");
        var page = await PhoneAsync(person);
        // Each save answers slowly, so the note arrives while the person is still typing.
        var delay = 0;
        await page.RouteAsync("**/*handler=Save*", async route => { await Task.Delay(delay); await route.ContinueAsync(); });
        const string first = "Tonight is heavy. Some nights I want to die and I don't know who to tell. ";
        const string rest = "I keep writing anyway, one word after another, because the words have to go somewhere and here is safer than nowhere.";
        var box = page.GetByLabel("Write whatever is here for you");
        var note = page.GetByRole(AriaRole.Region, new() { Name = "You don't have to hold this alone" });
        foreach (var speed in new[] { 0, 20, 60 })
        {
            await page.GotoAsync("/journal/new/free?fresh=true");
            await box.ClickAsync();
            delay = Math.Max(300, rest.Length * speed / 2);
            await page.Keyboard.TypeAsync(first, new() { Delay = speed });
            await Assertions.Expect(Status(page)).ToHaveTextAsync("Saving…"); // a pause in typing saves
            var everything = page.WaitForResponseAsync(r => r.Url.Contains("handler=Save", StringComparison.Ordinal) && (r.Request.PostData ?? "").Contains("safer than nowhere", StringComparison.Ordinal));
            await page.Keyboard.TypeAsync(rest, new() { Delay = speed });
            await Assertions.Expect(note).ToBeVisibleAsync();
            await Assertions.Expect(box).ToHaveValueAsync(first + rest);
            Assert.Equal("entry-text", await page.EvaluateAsync<string>("document.activeElement.id"));
            await Assertions.Expect(page.Locator("[data-crisis-announce]")).ToContainTextAsync("A note has appeared below your writing");
            // Seen near the draft status by someone typing on a phone, without being a second announcement.
            var pointer = page.Locator("[data-crisis-pointer]");
            await Assertions.Expect(pointer).ToBeVisibleAsync();
            await Assertions.Expect(pointer).ToContainTextAsync("Some of what you wrote sounds heavy");
            Assert.Null(await pointer.GetAttributeAsync("aria-live"));
            Assert.Null(await pointer.GetAttributeAsync("role"));
            Assert.Equal(200, (await everything).Status);
            await Assertions.Expect(Status(page)).ToContainTextAsync("Draft saved");
            await Assertions.Expect(note.GetByRole(AriaRole.Button, new() { Name = "Reach out to my people now" })).ToBeVisibleAsync();
            await Assertions.Expect(note.GetByRole(AriaRole.Link, new() { Name = "Crisis lines" })).ToBeVisibleAsync();
            if (speed == 60)
            {
                await Screenshots.TakeAsync(page, "01a-journal-crisis-pointer-phone");
                await pointer.GetByRole(AriaRole.Link, new() { Name = "Support is here, below your writing" }).ClickAsync();
                await Assertions.Expect(note.GetByRole(AriaRole.Heading, new() { Name = "You don't have to hold this alone" })).ToBeInViewportAsync();
                await Screenshots.TakeAsync(page, "01-journal-crisis-note-phone");
                await Accessibility.AssertAsync(page);
            }
            await page.ReloadAsync();
            await Assertions.Expect(box).ToHaveValueAsync(first + rest);
        }

        // Scrolled to the very bottom, the bar is still at the top of the screen, one row, in reach.
        await page.EvaluateAsync("window.scrollTo(0, document.body.scrollHeight)");
        var bar = await page.Locator(".safety-bar").BoundingBoxAsync();
        Assert.True(bar is { Y: > -1 and < 1, Height: < 56 }, $"The safety bar is at y={bar?.Y}, {bar?.Height} px tall");
        foreach (var name in new[] { "Grounding", "Reach out", "Crisis lines", "Quick exit" })
            await Assertions.Expect(page.Locator(".safety-bar").GetByRole(AriaRole.Link, new() { Name = name })).ToBeInViewportAsync();
        await Screenshots.TakeAsync(page, "02-safety-bar-scrolled-phone");

        // Quick exit, then Back: Attune doesn't come back; it leaves again before showing anything.
        await page.Locator(".safety-bar").GetByRole(AriaRole.Link, new() { Name = "Quick exit" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Neutral);
        await page.GoBackAsync(new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForURLAsync(Neutral);
        Assert.DoesNotContain("want to die", await page.ContentAsync(), StringComparison.Ordinal);

        // Chosen in the profile: quick exit also signs out, so Attune opened again asks to sign in.
        await page.GotoAsync("/account");
        await page.GetByLabel("Quick exit also signs me out").CheckAsync();
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");
        await Screenshots.TakeAsync(page, "03-profile-quick-exit-signs-out-phone");
        await page.Locator(".safety-bar").GetByRole(AriaRole.Link, new() { Name = "Quick exit" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Neutral);
        for (var attempt = 0; ; attempt++)
        {
            await page.GotoAsync("/");
            if (await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Create an account" }).IsVisibleAsync()) break;
            Assert.True(attempt < 20, "Still signed in after quick exit with sign-out chosen");
            await Task.Delay(250); // the sign-out note travels as a beacon while the page leaves
        }
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Items3to5_TheWorstMoments_OfferOnesPeopleInOneTap_NobodyComingIsSaidAtOnce_AndItem9SaysWhoCanSee()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Noor");
        var friend = await app.RegisterAsync("Sam");
        await Circles.JoinAsync(app, person, friend, "Sam");
        // Maya is in the circle too, but her hours (UTC, her zone and Noor's) start two hours from now.
        var maya = await app.RegisterAsync("Maya");
        var mayaMember = await Circles.JoinAsync(app, person, maya, "Maya");
        var mayaFrom = DateTime.UtcNow.AddHours(2);
        await Expect.StatusAsync(await maya.Api.PatchAsJsonAsync($"/api/v1/circle/{mayaMember}",
            new { availableFrom = $"{mayaFrom.Hour:00}:00", availableTo = $"{mayaFrom.AddHours(1).Hour:00}:00" }), HttpStatusCode.OK);
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", new { helpers = new[] { "Sam 087 123 4567", "Aunt Jo" } }), HttpStatusCode.OK);
        var therapist = await app.RegisterAsync("Dr Kind");
        await Therapists.ConnectAsync(person, therapist, await Therapists.CreateAsync(therapist, "Dr Kind"), checkIns: true);
        var page = await PhoneAsync(person);

        // 9 out of 10 in a practice: the steps wait, and reaching one's people is one tap, crisis lines beside it.
        await page.GotoAsync("/practices/safe-place");
        await page.Locator("#sudsBefore-3").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await page.ArrivedAsync("**/practices/sessions/**");
        await page.Locator("#sudsNow-9").CheckAsync();
        var pause = page.GetByRole(AriaRole.Region, new() { Name = "Let's pause here" });
        await Assertions.Expect(pause).ToBeVisibleAsync();
        await Assertions.Expect(pause.GetByRole(AriaRole.Link, new() { Name = "Crisis lines" })).ToBeVisibleAsync();
        // The pause glides into view: the picture waits until the scroll has settled with the bar in place.
        // Settled means the pause sits just below the bar (the page's scroll padding), and stays there.
        await page.WaitForFunctionAsync(@"() => new Promise(done => {
            const at = () => document.querySelector('[data-support-panel]').getBoundingClientRect().top;
            const padding = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
            const before = at();
            setTimeout(() => done(at() === before && Math.abs(before - padding) < 2
                && Math.abs(document.querySelector('.safety-bar').getBoundingClientRect().top) < 1), 150);
        })", null, new() { PollingInterval = 100 });
        await Assertions.Expect(page.Locator(".safety-bar").GetByRole(AriaRole.Link, new() { Name = "Grounding" })).ToBeInViewportAsync();
        await Assertions.Expect(pause.GetByRole(AriaRole.Heading, new() { Name = "Let's pause here" })).ToBeInViewportAsync();
        await Screenshots.TakeAsync(page, "04-practice-9-of-10-phone");
        await Accessibility.AssertAsync(page);
        await pause.GetByRole(AriaRole.Button, new() { Name = "Reach out to my people now" }).ClickAsync();
        await page.ArrivedAsync("**/reaches/*");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You reached out" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("see it here straight away", new() { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("within 10 minutes", new() { Exact = false })).ToHaveCountAsync(0);
        // Waiting: plain words for where it is, and the safety plan and crisis lines beside grounding.
        await Assertions.Expect(page.Locator("[data-recipient]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Sam: sent — they'll see it soon"));
        var waiting = page.GetByRole(AriaRole.Region, new() { Name = "While you wait" });
        await Assertions.Expect(waiting.GetByRole(AriaRole.Link, new() { Name = "Grounding, right now" })).ToBeVisibleAsync();
        await Assertions.Expect(waiting.GetByRole(AriaRole.Link, new() { Name = "Your safety plan" })).ToBeVisibleAsync();
        await Assertions.Expect(waiting.Locator(".crisis-lines").First).ToBeVisibleAsync();
        // Maya was passed over for her hours: said, with when she can be reached, in Noor's time.
        await Assertions.Expect(page.Locator("[data-later]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex($"It's outside the hours Maya set, so it didn't go to them; they can be reached (tomorrow )?from {mayaFrom.Hour:00}:00 your time"));
        await Screenshots.TakeAsync(page, "04b-reach-waiting-phone", fullPage: true);
        await Accessibility.AssertAsync(page);

        // The only person who could come can't: said at once, live, with other help and the therapist.
        var reachId = page.Url.Split('/')[^1];
        await Expect.StatusAsync(await friend.Api.PostAsJsonAsync($"/api/v1/reaches/{reachId}/responses", new { kind = "cant" }), HttpStatusCode.OK);
        var nobody = page.GetByRole(AriaRole.Region, new() { Name = "Nobody could come just now" });
        await Assertions.Expect(nobody).ToBeVisibleAsync();
        await Assertions.Expect(nobody).ToContainTextAsync("Sam can't right now");
        await Assertions.Expect(nobody.GetByRole(AriaRole.Link, new() { Name = "Message Dr Kind" })).ToBeVisibleAsync();
        await Assertions.Expect(nobody.GetByRole(AriaRole.Link, new() { Name = "Grounding, right now" })).ToBeVisibleAsync();
        // Not Sam again in the same breath; who else could be reached, and when, in Noor's time.
        await Assertions.Expect(nobody).ToContainTextAsync("People on your safety plan: Aunt Jo");
        await Assertions.Expect(nobody).Not.ToContainTextAsync("Sam 087");
        await Assertions.Expect(nobody.Locator("[data-later]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex($"Maya can be reached (tomorrow )?from {mayaFrom.Hour:00}:00 your time"));
        await Assertions.Expect(nobody.GetByRole(AriaRole.Link, new() { Name = "Ask someone else" })).ToHaveAttributeAsync("href", "/reach");
        await Screenshots.TakeAsync(page, "05-reach-nobody-can-come-phone", fullPage: true);
        await Accessibility.AssertAsync(page);

        // Reaching out again: nothing stands between the person and the button, no tally of past reaches above it.
        await page.GotoAsync("/reach");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reach out" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("You reached out 1 time", new() { Exact = false })).ToHaveCountAsync(0);
        // Maya's hours are said beside her name before choosing, and read out with her checkbox.
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Maya" })).ToHaveAccessibleDescriptionAsync(
            new System.Text.RegularExpressions.Regex($"^Outside the hours they set: they can be reached (tomorrow )?from {mayaFrom.Hour:00}:00 your time\\."));
        await Screenshots.TakeAsync(page, "05b-reach-form-hours-phone", fullPage: true);
        await Accessibility.AssertAsync(page);
        // Offline, sending says so in place: the words stay, grounding is a tap away, no browser error page.
        await page.GetByLabel("A few words").FillAsync("Please call when you can.");
        await page.Context.SetOfflineAsync(true);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reach out" }).ClickAsync();
        var offline = page.Locator("[data-offline-note]");
        await Assertions.Expect(offline).ToBeVisibleAsync();
        await Assertions.Expect(offline).ToContainTextAsync("You're offline just now, so this can't reach anyone yet.");
        await Assertions.Expect(offline.GetByRole(AriaRole.Link, new() { Name = "Grounding" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("A few words")).ToHaveValueAsync("Please call when you can.");
        Assert.EndsWith("/reach", page.Url, StringComparison.Ordinal);
        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(offline).ToBeHiddenAsync();
        await page.GetByLabel("A few words").FillAsync("");

        // PHQ-9 item 9 above zero: one's people in one tap, and the truth about who sees the answer.
        // An earlier, heavier check-in first, so the new total is lower: that must not read as reassurance.
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 2, 2, 2, 1, 1, 1, 0, 0, 0 } }), HttpStatusCode.Created);
        await page.GotoAsync("/check-ins/phq9");
        for (var i = 0; i < 9; i++) await page.Locator($"input[name='answers[{i}]'][value='{(i == 8 ? 1 : 0)}']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "See my result" }).ClickAsync();
        await page.ArrivedAsync("**/check-ins/phq9/results/*");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reach out to my people now" })).ToBeVisibleAsync();
        var who = page.Locator("[data-who-sees]");
        await Assertions.Expect(who).ToContainTextAsync("Dr Kind can see your check-in scores");
        await Assertions.Expect(who).ToContainTextAsync("aren't sent a message or an alert");
        await Assertions.Expect(who).ToContainTextAsync("Nobody else can see it");
        await Assertions.Expect(page.GetByText("nobody has been told", new() { Exact = false })).ToHaveCountAsync(0);
        var score = page.GetByRole(AriaRole.Region, new() { Name = "Mood check-in (PHQ-9)" });
        await Assertions.Expect(score).ToContainTextAsync("1 out of 27 (minimal)"); // the published score and band, as they are
        await Assertions.Expect(score.Locator("[data-safety-meaning]")).ToContainTextAsync("Your answer to the last question matters more than this total");
        await Assertions.Expect(page.GetByText("Few signs of low mood", new() { Exact = false })).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "06-phq9-item9-who-can-see-phone", fullPage: true);
        await Accessibility.AssertAsync(page);
        await page.GotoAsync("/");
        var checkIns = page.GetByRole(AriaRole.Region, new() { Name = "Your check-ins" });
        await Assertions.Expect(checkIns).ToContainTextAsync("Your answer to the last question matters more than the total");
        await Assertions.Expect(checkIns.GetByText("lower than the time before", new() { Exact = false })).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "06b-today-after-item9-phone", fullPage: true);
        await page.Context.CloseAsync();
    }
}
