using System.Net;
using System.Net.Http.Json;
using Attune.Infrastructure;
using Attune.Infrastructure.Live;
using Attune.Tests.Support;
using Microsoft.Extensions.Caching.Memory;

namespace Attune.Tests.Home;

/// <summary>
/// Today is kept briefly per person (<see cref="PersonSnapshots"/>): a kept copy costs no queries,
/// yet the person's own changes, and other people's changes that concern them, show at once.
/// </summary>
public sealed class TodaySnapshotTests(CountingApp app) : IClassFixture<CountingApp>
{
    private int Commands(int from) =>
        app.Logs.Lines.Skip(from).Count(l => l.Contains("Executed DbCommand", StringComparison.Ordinal) && !l.Contains("\"Jobs\"", StringComparison.Ordinal));

    [Fact]
    public async Task AKeptToday_CostsNoQueries_AndThePersonsOwnCheckInShowsAtOnce()
    {
        var person = await app.RegisterAsync("Kept Today");
        using var pages = await app.SignInPagesAsync(person.Email);
        await pages.GetPageAsync("/");
        var before = app.Logs.Lines.Count;
        var kept = await pages.GetPageAsync("/");
        Assert.Equal(0, Commands(before));
        Assert.DoesNotContain("of 27", kept, StringComparison.Ordinal);

        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 1, 1, 1, 1, 0, 0, 0, 1, 0 } }), HttpStatusCode.Created);
        Assert.Contains("5 of 27", await pages.GetPageAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneAcceptingMyInvitation_ShowsOnMyKeptTodayAtOnce()
    {
        var owner = await app.RegisterAsync("Waiting Owner");
        var supporter = await app.RegisterAsync("Sam Accepting");
        using var pages = await app.SignInPagesAsync(owner.Email);
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = supporter.Email, name = "Sam" }), HttpStatusCode.Created);
        var token = Mail.LinkIn(await app.MailAsync(supporter.Email, "invited")).Split('/')[^1];
        Assert.DoesNotContain("In your circle: Sam.", await pages.GetPageAsync("/"), StringComparison.Ordinal);
        var before = app.Logs.Lines.Count;
        await pages.GetPageAsync("/");
        Assert.Equal(0, Commands(before)); // kept

        // Sam's answer is Sam's request, not the owner's: the saved circle row names the owner.
        await Expect.StatusAsync(await supporter.Api.PostAsync($"/api/v1/circle/invitations/{token}/accept", null), HttpStatusCode.OK);
        Assert.Contains("In your circle: Sam.", await pages.GetPageAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReachToMe_ShowsOnMyKeptTodayAtOnce_AndNoOneElsesTodayShowsIt()
    {
        var owner = await app.RegisterAsync("Dana Reaching");
        var supporter = await app.RegisterAsync("Sam Supporting");
        var stranger = await app.RegisterAsync("A Stranger");
        await Circles.JoinAsync(app, owner, supporter, "Sam");
        using var supporterPages = await app.SignInPagesAsync(supporter.Email);
        using var strangerPages = await app.SignInPagesAsync(stranger.Email);
        await supporterPages.GetPageAsync("/");
        await strangerPages.GetPageAsync("/");
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "today" }), HttpStatusCode.Created);
        Assert.Contains("Dana Reaching reached out", await supporterPages.GetPageAsync("/"), StringComparison.Ordinal);
        var strangers = await strangerPages.GetPageAsync("/");
        Assert.DoesNotContain("Dana", strangers, StringComparison.Ordinal);
        Assert.DoesNotContain("reached out", strangers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterMyOwnWriteOnAPage_ACopyReadBeforeIt_IsNotServed_AsOnANodeTheForgetHasNotReachedYet()
    {
        var person = await app.RegisterAsync("Two Nodes");
        using var pages = await app.SignInPagesAsync(person.Email);
        var snapshots = app.Service<PersonSnapshots>();
        await pages.GetPageAsync("/");
        var copy = snapshots.Get<Attune.Features.Home.IndexModel.Snapshot>(Attune.Features.Home.IndexModel.SnapshotKind, person.Id, null);
        Assert.NotNull(copy);

        var welcome = await pages.PostFormAsync("/?handler=Welcome", new() { ["country"] = "NZ", ["timeZone"] = "Pacific/Auckland" }, "/");
        Assert.Equal(HttpStatusCode.Redirect, welcome.StatusCode);
        var cookie = welcome.Headers.GetValues("Set-Cookie").Single(c => c.Contains("attune-wrote=", StringComparison.Ordinal));
        Assert.DoesNotContain("Auckland", cookie, StringComparison.Ordinal); // the time, and nothing of what was written

        // Another node's copy from before the write, which its forget has not reached: put it back.
        var stale = new PersonSnapshots.Start(person.Id, snapshots.Begin(person.Id).Generation, DateTime.UtcNow - TimeSpan.FromSeconds(5));
        snapshots.Set(Attune.Features.Home.IndexModel.SnapshotKind, stale, copy);
        var before = app.Logs.Lines.Count;
        var html = await pages.GetPageAsync("/");
        Assert.True(Commands(before) > 0, "Today was served from a copy read before the person's own write");
        Assert.DoesNotContain("data-welcome", html, StringComparison.Ordinal);

        // Without the cookie (another device), that same copy would have been served: the cookie is what decides.
        using var other = await app.SignInPagesAsync(person.Email);
        snapshots.Set(Attune.Features.Home.IndexModel.SnapshotKind, new PersonSnapshots.Start(person.Id, snapshots.Begin(person.Id).Generation, DateTime.UtcNow - TimeSpan.FromSeconds(5)), copy);
        Assert.Contains("data-welcome", await other.GetPageAsync("/"), StringComparison.Ordinal); // the old copy, still asking for a welcome
    }

    [Fact]
    public void ACopy_IsForItsPersonAlone_AndGoesWithAWriteAfterIt_AnEventForThem_OrAForgetWhileItWasRead()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 100 });
        var hub = new EventHub();
        var snapshots = new PersonSnapshots(cache, TimeProvider.System, hub);
        var start = snapshots.Begin("robin");
        snapshots.Set("today", start, "Robin's day");
        snapshots.Set("today", snapshots.Begin("sam"), "Sam's day");
        Assert.Equal("Robin's day", snapshots.Get<string>("today", "robin", wroteAt: null));
        Assert.Equal("Sam's day", snapshots.Get<string>("today", "sam", wroteAt: null));
        Assert.Null(snapshots.Get<string>("today", "kit", wroteAt: null));

        // A write on another node, told by the cookie: a copy read before it (allowing for clocks) is not used.
        Assert.Null(snapshots.Get<string>("today", "robin", wroteAt: start.At));
        Assert.Null(snapshots.Get<string>("today", "robin", wroteAt: start.At - TimeSpan.FromMilliseconds(500)));
        Assert.Equal("Robin's day", snapshots.Get<string>("today", "robin", wroteAt: start.At - TimeSpan.FromSeconds(2)));
        Assert.Null(snapshots.Get<string>("today", "robin", wroteAt: DateTime.MaxValue)); // a cookie says what it likes: no overflow

        // An event delivered for Robin drops Robin's copy only.
        hub.Publish("robin", "reach.received", Guid.NewGuid());
        Assert.Null(snapshots.Get<string>("today", "robin", wroteAt: null));
        Assert.Equal("Sam's day", snapshots.Get<string>("today", "sam", wroteAt: null));

        // Read, then forgotten before it was kept: it is not kept (it may be older than the change).
        var reading = snapshots.Begin("robin");
        snapshots.ForgetHere("robin");
        snapshots.Set("today", reading, "Robin's day, read before a change");
        Assert.Null(snapshots.Get<string>("today", "robin", wroteAt: null));

        // Deleting an account forgets its copies (every IPersonCache is told).
        ((IPersonCache)snapshots).Forget("sam");
        Assert.Null(snapshots.Get<string>("today", "sam", wroteAt: null));
    }
}
