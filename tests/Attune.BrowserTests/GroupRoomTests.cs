using System.Net;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// A live group room on four phones: the facilitator and three members. Set up through the API (the
/// group, the members, the room opened, two check-ins); then, on the pages, a check-in, a round in a
/// random order with a pass, a share seen live by everyone, witness replies, an advice-like
/// reflection caught and rewritten, the share withdrawn from every page, and "I need a moment" seen
/// by the facilitator alone. One walk, so CI pays for one app and one browser.
/// </summary>
public sealed class GroupRoomTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task ARoundWithAPass_WitnessNotAdvice_AWithdrawnShare_AndAMomentOnlyTheFacilitatorSees()
    {
        var app = fixture.App;
        var f = await app.RegisterAsync("Rowan Facilitator");
        var a = await app.RegisterAsync("Ash Account");
        var b = await app.RegisterAsync("Bea Account");
        var c = await app.RegisterAsync("Cal Account");
        var group = await Groups.CreateGroupAsync(f, Groups.Body(facilitatorName: "Rowan", part: 2));
        var token = await Groups.InvitationTokenAsync(f, group.Id);
        var names = new Dictionary<string, (Person Person, string Name)>
        {
            [await Groups.JoinByLinkAsync(a, group.Id, token, "Ash")] = (a, "Ash"),
            [await Groups.JoinByLinkAsync(b, group.Id, token, "Bea")] = (b, "Bea"),
            [await Groups.JoinByLinkAsync(c, group.Id, token, "Cal")] = (c, "Cal"),
        };
        var meeting = group.FirstMeeting;
        var version = await Groups.OpenRoomAsync(f, group.Id, meeting);
        foreach (var (who, word) in new[] { (b, "curious"), (c, "tired") })
        {
            var checkedIn = await Groups.EventAsync(who, group.Id, meeting, "checkIn", version, new { suds = 3, word });
            version = JsonDocument.Parse(await Expect.StatusAsync(checkedIn, HttpStatusCode.OK)).RootElement.GetProperty("version").GetInt64();
        }
        var url = $"/groups/{group.Id}/meetings/{meeting}";
        var pages = new Dictionary<Person, IPage>();
        var contexts = new List<IBrowserContext>();
        foreach (var person in new[] { f, a, b, c })
        {
            var (context, page) = await fixture.SignedInAsync(person, phone: true);
            contexts.Add(context);
            await page.GotoAsync(url);
            pages[person] = page;
        }
        var (pf, pa, pb, pc) = (pages[f], pages[a], pages[b], pages[c]);
        ILocator Shares(IPage page) => page.GetByRole(AriaRole.List, new() { Name = "Shares" });

        // 0. The room's controls are two tabs away (past "Skip to main content"), and the bar is one
        // row at 390 px and at 320 px, with every control at least 24×24 px and on screen.
        await Assertions.Expect(pb.GetByRole(AriaRole.Heading, new() { Name = "How we arrived" })).ToBeVisibleAsync();
        await pb.Keyboard.PressAsync("Tab");
        await pb.Keyboard.PressAsync("Tab");
        await Assertions.Expect(pb.GetByRole(AriaRole.Link, new() { Name = "Skip to the room" })).ToBeFocusedAsync();
        await pb.Keyboard.PressAsync("Enter");
        await Assertions.Expect(pb.GetByRole(AriaRole.Region, new() { Name = "Room controls" })).ToBeFocusedAsync();
        await pb.Keyboard.PressAsync("Tab");
        await Assertions.Expect(pb.Locator("#room-grounding")).ToBeFocusedAsync();
        foreach (var width in new[] { 390, 320 })
        {
            await pb.SetViewportSizeAsync(width, 844);
            var bar = (await pb.Locator("[data-room-bar]").BoundingBoxAsync())!;
            Assert.True(bar.Height <= 60, $"The room's bar is {bar.Height} px tall at {width} px: more than one row");
            foreach (var control in await pb.Locator("[data-room-bar] a, [data-room-bar] button").AllAsync())
            {
                var box = (await control.BoundingBoxAsync())!;
                Assert.True(box.Width >= 24 && box.Height >= 24 && box.X >= 0 && box.X + box.Width <= width,
                    $"{await control.InnerTextAsync()} is {box.Width}×{box.Height} at x {box.X} on a {width} px screen");
            }
        }
        await pb.SetViewportSizeAsync(390, 844);
        var momentBefore = (await pb.Locator("#room-moment").BoundingBoxAsync())!;

        // 1. Ash checks in on the page; everyone sees the word, only the facilitator the number.
        await Assertions.Expect(pa.GetByRole(AriaRole.Heading, new() { Name = "Arriving" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(pa);
        await pa.Locator("#check-in-suds-5").CheckAsync(); // the 0–10 scale's radio lies over its number
        await pa.GetByLabel("One word for how you arrive").FillAsync("hopeful");
        await pa.GetByRole(AriaRole.Button, new() { Name = "Check in", Exact = true }).ClickAsync();
        await Assertions.Expect(pf.GetByText("Ash: hopeful (5/10)")).ToBeVisibleAsync();
        await Assertions.Expect(pb.GetByText("Ash: hopeful", new() { Exact = true })).ToBeVisibleAsync();

        // 2. The facilitator starts a round in a random order, shown to all before the first turn.
        await pf.GetByLabel("A prompt").SelectOptionAsync("p2-felt-age");
        await pf.GetByLabel("A random order (everyone sees it before the first turn)").CheckAsync();
        await pf.GetByRole(AriaRole.Button, new() { Name = "Start the round" }).ClickAsync();
        await Assertions.Expect(pf.GetByRole(AriaRole.Heading, new() { Name = "Round 1" })).ToBeVisibleAsync();
        await Assertions.Expect(pb.GetByRole(AriaRole.Heading, new() { Name = "Round 1" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(pf);
        await Screenshots.TakeAsync(pf, "group-room-facilitator");
        // The live swap that brought the round (a new status, the bar re-rendered) left Bea's buttons where they were.
        var momentAfter = (await pb.Locator("#room-moment").BoundingBoxAsync())!;
        Assert.Equal((momentBefore.X, momentBefore.Y, momentBefore.Width), (momentAfter.X, momentAfter.Y, momentAfter.Width));
        var room = JsonDocument.Parse(await Expect.StatusAsync(await f.Api.GetAsync($"/api/v1/groups/{group.Id}/meetings/{meeting}/room"), HttpStatusCode.OK)).RootElement;
        var order = room.GetProperty("order").EnumerateArray().Select(x => names[x.GetString()!]).ToList();
        var (first, second, third) = (order[0], order[1], order[2]);

        // 3. The first holder passes; everyone sees it.
        var p1 = pages[first.Person];
        await Assertions.Expect(p1.GetByRole(AriaRole.Heading, new() { Name = "It's your turn" })).ToBeVisibleAsync();
        await p1.GetByRole(AriaRole.Button, new() { Name = "Pass", Exact = true }).ClickAsync();
        foreach (var page in pages.Values) await Assertions.Expect(page.GetByText($"{first.Name} · passed")).ToBeVisibleAsync();

        // 4. The next shares; the others see it arrive live, then the turn ends.
        var share = "I felt about six, hiding under the stairs.";
        var p2 = pages[second.Person];
        await p2.GetByLabel("What you'd like to share").FillAsync(share);
        await p2.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true }).ClickAsync();
        foreach (var page in pages.Values) await Assertions.Expect(Shares(page)).ToContainTextAsync(share);
        await p2.GetByRole(AriaRole.Button, new() { Name = "I'm done" }).ClickAsync();

        // 5. One witness says "I hear you"; the count shows without a name.
        var pw = pages[first.Person];
        await pw.GetByRole(AriaRole.Button, new() { Name = "I hear you" }).ClickAsync();
        await Assertions.Expect(p2.GetByText("I hear you 1")).ToBeVisibleAsync();

        // 6. Another begins with advice, is asked gently, and says it as a reflection instead.
        var pr = pages[third.Person];
        await pr.GetByText("Write a short reflection").ClickAsync();
        await pr.GetByLabel("What you heard, or what it stirred in you").FillAsync("You should try journaling about it.");
        await pr.GetByRole(AriaRole.Button, new() { Name = "Send my reflection" }).ClickAsync();
        await Assertions.Expect(pr.GetByRole(AriaRole.Button, new() { Name = "Send as it is" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(pr);
        await pr.GetByLabel("What you heard, or what it stirred in you").FillAsync("It reminded me of my own hiding place.");
        await pr.GetByRole(AriaRole.Button, new() { Name = "Send my reflection" }).ClickAsync();
        await Assertions.Expect(Shares(p2)).ToContainTextAsync("It reminded me of my own hiding place.");
        await Screenshots.TakeAsync(pr, "group-room-member");

        // 7. The author withdraws the share: it goes from all four pages.
        await p2.GetByRole(AriaRole.Button, new() { Name = "Withdraw my share" }).ClickAsync();
        foreach (var page in pages.Values) await Assertions.Expect(Shares(page)).Not.ToContainTextAsync(share);

        // 8. Cal needs a moment: the facilitator sees it, the other members don't.
        await pc.GetByRole(AriaRole.Button, new() { Name = "I need a moment" }).ClickAsync();
        await Assertions.Expect(pc.GetByRole(AriaRole.Button, new() { Name = "I need a moment" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(pf.GetByText("Cal asked for a moment.")).ToBeVisibleAsync();
        foreach (var page in new[] { pa, pb })
        {
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByText("asked for a moment")).ToHaveCountAsync(0);
        }
        await Accessibility.AssertAsync(pc);

        // 9. The facilitator closes the room; every page says so.
        await pf.GetByRole(AriaRole.Button, new() { Name = "Close the room" }).ClickAsync();
        foreach (var page in pages.Values) await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This meeting has ended" })).ToBeVisibleAsync();
        foreach (var context in contexts) await context.CloseAsync();
    }
}
