using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// Issue 23, every day, walked on a phone (and desktop where layout matters): journal errors stay
/// beside their field and a refused save isn't retried (item 11); the journal zip has a file per
/// entry (item 12); multi-word chips read as chips (item 13); the practice runner keeps its place,
/// fits its scale on one row and ends kindly (item 14); and words for people (item 15).
/// </summary>
public sealed class MomentsEveryDayTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> PhoneAsync(Person person, bool downloads = false)
    {
        var context = await fixture.NewContextAsync(BrowserFixture.Phone(fixture.App.BaseUrl, downloads));
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, person.Email, person.Password);
        return page;
    }

    [BrowserFact]
    public async Task Items11and12_JournalErrorsStayBesideTheirField_ARefusedSaveIsNotRetried_AndTheZipKeepsEveryEntry()
    {
        var person = await fixture.App.RegisterAsync("Jude");
        var page = await PhoneAsync(person, downloads: true);
        var saves = 0;
        page.Request += (_, r) => { if (r.Url.Contains("handler=Save", StringComparison.Ordinal)) Interlocked.Increment(ref saves); };
        // The page's own timers (autosave, retries) run only when the test moves this clock.
        await page.Clock.InstallAsync();
        await page.GotoAsync("/journal/new/memory");
        await page.Clock.PauseAtAsync(DateTime.UtcNow.AddMinutes(1));

        // "Save entry" on an empty entry: the message stays beside the field, and no empty draft is made.
        await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        var what = page.GetByLabel("What happened, in brief");
        await Assertions.Expect(what).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#memory-what + .field-error")).ToHaveTextAsync("Please write something before saving, or keep it as a draft.");
        await page.Clock.RunForAsync(60_000);
        await Assertions.Expect(page.Locator("#memory-what + .field-error")).ToBeVisibleAsync();
        Assert.Equal(1, saves);
        Assert.Empty((await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal")).GetProperty("items").EnumerateArray());

        // An age of 25: its own words beside its own field, sent once, not every few hundred milliseconds.
        await what.FillAsync("The day of the school play.");
        await page.GetByLabel("How old were you?").FillAsync("25");
        await Assertions.Expect(page.Locator("[data-save-status]")).ToContainTextAsync("Draft saved"); // leaving the first field saved it
        var refused = page.WaitForResponseAsync(r => r.Url.Contains("handler=Save", StringComparison.Ordinal) && (r.Request.PostData ?? "").Contains("\"age\":25", StringComparison.Ordinal));
        await page.Clock.RunForAsync(2_100);
        Assert.Equal(400, (await refused).Status);
        await Assertions.Expect(page.Locator("#memory-age + .field-error")).ToHaveTextAsync("Please choose a number from 0 to 18.");
        await Assertions.Expect(page.GetByText("memory.age", new() { Exact = false })).ToHaveCountAsync(0);
        var after400 = saves;
        await page.Clock.RunForAsync(60_000);
        Assert.Equal(after400, saves);
        await Screenshots.TakeAsync(page, "18-journal-error-beside-field-phone");
        await page.Clock.ResumeAsync(); // axe waits on the page's timers
        await Accessibility.AssertAsync(page);
        await page.Clock.PauseAtAsync(DateTime.UtcNow.AddMinutes(10));

        await page.GetByLabel("How old were you?").FillAsync("9");
        var saved = page.WaitForResponseAsync(r => r.Url.Contains("handler=Save", StringComparison.Ordinal) && (r.Request.PostData ?? "").Contains("\"age\":9", StringComparison.Ordinal));
        await page.Clock.RunForAsync(2_100);
        Assert.Equal(200, (await saved).Status);
        await Assertions.Expect(page.Locator("[data-save-status]")).ToContainTextAsync("Draft saved");
        await Assertions.Expect(page.Locator(".field-error[data-field-error]")).ToHaveCountAsync(0);

        // Twenty-two entries of one kind in the same minute: twenty-two files, none overwriting another.
        for (var i = 0; i < 22; i++)
            await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = $"Entry {i}" }), HttpStatusCode.Created);
        await page.GotoAsync("/journal/export");
        await Assertions.Expect(page.GetByText("Markdown", new() { Exact = false })).ToHaveCountAsync(0);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Text files, one per entry (.zip)" }).ClickAsync());
        using var zip = ZipFile.OpenRead(await download.PathAsync());
        var names = zip.Entries.Where(e => e.FullName.StartsWith("entries/", StringComparison.Ordinal)).Select(e => e.FullName).ToList();
        Assert.Equal(23, names.Count);
        Assert.Equal(23, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Items13and14_ChipsReadAsChips_OnPhoneAndDesktop_AndThePracticeKeepsItsPlace_FitsItsScale_AndEndsKindly()
    {
        var person = await fixture.App.RegisterAsync("Rae");
        var page = await PhoneAsync(person);
        foreach (var (width, height, name) in new[] { (390, 844, "phone"), (1280, 900, "desktop") })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync("/activations/new");
            var chip = page.Locator("label[for='emotion-let-down']");
            var box = (await chip.BoundingBoxAsync())!;
            Assert.True(box.Height < 48 && box.Width > box.Height * 1.5, $"'let down' is {box.Width}×{box.Height} on {name}");
            await chip.ClickAsync(); // a tap on the chip, as a person would
            await Assertions.Expect(page.Locator("#emotion-let-down")).ToBeCheckedAsync();
            await chip.ScrollIntoViewIfNeededAsync();
            await Screenshots.TakeAsync(page, $"19-reaction-chips-{name}");
        }
        await Accessibility.AssertAsync(page);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/moment");
        await page.GetByRole(AriaRole.Button, new() { Name = "I've paused. Next" }).ClickAsync();
        await page.GetByLabel("In a few words, what's happening?").FillAsync("A door slammed downstairs");
        await page.Locator("#intensity-6").CheckAsync();
        await page.Locator("[data-step=name] [data-next]").ClickAsync();
        await page.Locator("[data-step=age] [data-next]").ClickAsync();
        var need = page.Locator("label[for='need-someone-with-me']");
        var needBox = (await need.BoundingBoxAsync())!;
        Assert.True(needBox.Height < 48 && needBox.Width > needBox.Height * 2, $"'someone with me' is {needBox.Width}×{needBox.Height}");
        await Screenshots.TakeAsync(page, "20-moment-needs-phone");
        await Accessibility.AssertAsync(page);

        // The practice: a pause at 9, a lower rating, and it carries on at the same step, even after a reload.
        await page.GotoAsync("/practices/safe-place");
        await page.Locator("#sudsBefore-2").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await page.ArrivedAsync("**/practices/sessions/**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next step" }).ClickAsync();
        var stepHeading = page.Locator("[data-step]:not([hidden]) h2");
        await Assertions.Expect(stepHeading).ToHaveTextAsync("Step 2 of 5");
        await page.Locator("#sudsNow-9").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Take a pause" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-choice-result]")).ToContainTextAsync("carry on from this step");
        await page.Locator("#sudsNow-3").CheckAsync();
        await Assertions.Expect(stepHeading).ToHaveTextAsync("Step 2 of 5");
        // The lower rating is saved in the background; the way on comes back once the server has it.
        // A reload before then would cancel the save, and the page would rightly still offer the pause.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next step" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(stepHeading).ToHaveTextAsync("Step 2 of 5");

        // 0–10 on one row, even at 320 px, each point wide enough to tap.
        await page.SetViewportSizeAsync(320, 700);
        var tops = await page.Locator("[data-suds-now] .suds-point label").EvaluateAllAsync<double[]>("ls => ls.map(l => l.getBoundingClientRect().top)");
        var widths = await page.Locator("[data-suds-now] .suds-point label").EvaluateAllAsync<double[]>("ls => ls.map(l => l.getBoundingClientRect().width)");
        Assert.Equal(11, tops.Length);
        Assert.True(tops.Max() - tops.Min() < 1, "The 0–10 scale wraps at 320 px: " + string.Join(", ", tops));
        Assert.True(widths.Min() >= 24, "A point is narrower than 24 px: " + string.Join(", ", widths));
        // The question wraps at 320 and 390 px and stays inside its box, below the top border, not across it.
        async Task QuestionInsideItsBoxAsync(int width)
        {
            var legend = await page.Locator("[data-suds-now] legend").EvaluateAsync<double[]>(
                "l => { const f = l.closest('fieldset').getBoundingClientRect(), r = l.getBoundingClientRect(); return [r.top - f.top, r.height, r.left - f.left, f.right - r.right]; }");
            Assert.True(legend[1] > 30, $"The question didn't wrap at {width} px ({legend[1]} px tall); the check below proves nothing");
            Assert.True(legend[0] >= 1 && legend[2] >= 1 && legend[3] >= 1, $"At {width} px the question runs across its box's border: " + string.Join(", ", legend));
        }
        await QuestionInsideItsBoxAsync(320);
        await page.Locator("[data-suds-now]").ScrollIntoViewIfNeededAsync();
        await Screenshots.TakeAsync(page, "21-practice-scale-320");
        await page.SetViewportSizeAsync(390, 844);
        await QuestionInsideItsBoxAsync(390);

        // At the end: one scale, then thanks and the change from the first rating to the last.
        var next = page.GetByRole(AriaRole.Button, new() { Name = "Next step" });
        for (var step = 3; step <= 5; step++)
        {
            await next.ClickAsync(); // waits until the button can be clicked, unlike a visibility check
            await Assertions.Expect(stepHeading).ToHaveTextAsync($"Step {step} of 5");
        }
        await Assertions.Expect(page.GetByText("part-way through", new() { Exact = false })).ToBeHiddenAsync(); // asked once, at the end
        await page.GetByRole(AriaRole.Button, new() { Name = "Finish up" }).ClickAsync();
        await Assertions.Expect(page.Locator("fieldset.suds:visible")).ToHaveCountAsync(1);
        await page.Locator("#sudsAfter-1").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Finish", Exact = true }).ClickAsync();
        var ending = page.GetByRole(AriaRole.Region, new() { Name = "Thank you for staying with this" });
        await Assertions.Expect(ending).ToContainTextAsync("You began at 2 out of 10 and finished at 1");
        await Assertions.Expect(ending.Locator("meter")).ToHaveCountAsync(2);
        await Screenshots.TakeAsync(page, "22-practice-ending-phone");
        // From the top: scrolled to the ending, the header sits half under the sticky safety bar,
        // and axe counts a half-covered link as a small target.
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await Accessibility.AssertAsync(page);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Item15_WordsForPeople_CrisisLinesWithSources_LocalTimes_PlainWorkspace_AndATakenBackShare()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Wren");
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "IE", timeZone = "Pacific/Auckland" }), HttpStatusCode.OK);
        var friend = await app.RegisterAsync("Fen");
        await Circles.JoinAsync(app, person, friend, "Fen");
        var page = await PhoneAsync(person);

        // Crisis lines: my own country first, then every other listed one, searchable; each says where it comes from.
        await page.GotoAsync("/help");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 }).Nth(1)).ToHaveTextAsync("In Ireland");
        await Assertions.Expect(page.GetByText("Anyone running Attune", new() { Exact = false })).ToHaveCountAsync(0);
        await page.GetByLabel("Search by country or service").FillAsync("spain");
        await Assertions.Expect(page.Locator("[data-country]:visible")).ToHaveCountAsync(1);
        var spain = page.Locator("[data-country]:visible details");
        await Assertions.Expect(spain).ToHaveAttributeAsync("open", "");
        await Assertions.Expect(spain).ToContainTextAsync("Línea 024");
        await Assertions.Expect(spain).ToContainTextAsync("checked November 2026");
        await Screenshots.TakeAsync(page, "23-crisis-lines-search-phone", fullPage: true);
        await Accessibility.AssertAsync(page);

        // Times in my own zone, never "UTC".
        var reach = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "now" }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        await Expect.StatusAsync(await friend.Api.PostAsJsonAsync($"/api/v1/reaches/{reach}/responses", new { kind = "here", message = "Here now." }), HttpStatusCode.OK);
        var thread = (await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{reach}")).GetProperty("recipients")[0].GetProperty("threadId").GetString();
        foreach (var path in new[] { "/reach", $"/threads/{thread}", "/account/sessions", "/privacy/security-log" })
        {
            await page.GotoAsync(path);
            Assert.DoesNotContain("UTC", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        }

        // A therapist reads a Signs result by its patterns' names, with no empty brackets and no codes.
        var therapist = await app.RegisterAsync("Dr Plain");
        var profile = await Therapists.CreateAsync(therapist, "Dr Plain");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/signs/responses", new { answers = Enumerable.Repeat(2, 24).ToArray() }), HttpStatusCode.Created);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync($"/api/v1/therapists/{profile}/requests", new { message = "Hello", attachSigns = true }), HttpStatusCode.Created);
        var t = await fixture.NewContextAsync(BrowserFixture.Phone(app.BaseUrl));
        var tp = await t.NewPageAsync();
        await BrowserFixture.SignInAsync(tp, therapist.Email, therapist.Password, landing: "**/caseload");
        var request = tp.GetByRole(AriaRole.Article).First;
        await Assertions.Expect(request).ToContainTextAsync("People pleasing");
        Assert.DoesNotContain("()", await request.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(^|\n)pleasing:", await request.InnerTextAsync()); // a pattern's code, not its name
        await Screenshots.TakeAsync(tp, "24-workspace-request-phone", fullPage: true);
        await tp.GotoAsync("/therapists");
        await Assertions.Expect(tp.GetByRole(AriaRole.Main)).ToContainTextAsync("United Kingdom");
        await t.CloseAsync();

        // A share taken back, reloaded by the person it was shared with: said kindly, with no error code.
        var entry = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "Something to witness." }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var share = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = friend.Id }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var f = await PhoneAsync(friend);
        await f.GotoAsync($"/shares/{share}");
        await Assertions.Expect(f.GetByText("Something to witness.")).ToBeVisibleAsync();
        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/shares/{share}"), HttpStatusCode.NoContent);
        await f.ReloadAsync();
        await Assertions.Expect(f.GetByRole(AriaRole.Heading, new() { Name = "This isn't shared with you now" })).ToBeVisibleAsync();
        Assert.DoesNotContain("reference", await f.Locator("main").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await Screenshots.TakeAsync(f, "25-share-taken-back-phone");
        await Accessibility.AssertAsync(f);
        await page.GotoAsync("/privacy/access-log");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Read a journal entry you shared");
        foreach (var p in new[] { page, f }) await p.Context.CloseAsync();
    }
}
