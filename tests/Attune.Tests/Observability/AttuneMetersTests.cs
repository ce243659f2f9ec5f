using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Groups.Room;
using Attune.Infrastructure.Observability;
using Attune.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Observability;

/// <summary>
/// Attune's own meters for reaches and group rooms record when the thing happens, once, with only
/// fixed words as tags: a reach's first sighting and first answer (seconds from sending, from the
/// stored times), its escalations, and the rooms open.
/// </summary>
public sealed class AttuneMetersTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private async Task<(Person Owner, Person First, Person Second, string FirstMember)> CircleOfTwoAsync()
    {
        var owner = await app.RegisterAsync("Reaching");
        var first = await app.RegisterAsync("First supporter");
        var second = await app.RegisterAsync("Second supporter");
        var firstMember = await Circles.JoinAsync(app, owner, first, "Ash");
        await Circles.JoinAsync(app, owner, second, "Bea");
        return (owner, first, second, firstMember);
    }

    private static async Task<string> ReachAsync(Person owner, object body) =>
        JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", body), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;

    [Fact]
    public async Task AReach_IsCountedSeenOnce_AndAnsweredOnce_InSecondsFromSending_TaggedOnlyByUrgencyAndAnswer()
    {
        var (owner, first, second, _) = await CircleOfTwoAsync();
        using var measured = new AttuneMeasurements(app);
        var id = await ReachAsync(owner, new { urgency = "today", message = "A hard evening" });
        Assert.Empty(measured.Of("attune.reach.time_to_first_seen"));

        app.Clock.Advance(TimeSpan.FromSeconds(90));
        await Expect.StatusAsync(await first.Api.GetAsync($"/api/v1/reaches/{id}"), HttpStatusCode.OK);
        await Expect.StatusAsync(await second.Api.GetAsync($"/api/v1/reaches/{id}"), HttpStatusCode.OK);
        await Expect.StatusAsync(await first.Api.GetAsync($"/api/v1/reaches/{id}"), HttpStatusCode.OK);
        var seen = Assert.Single(measured.Of("attune.reach.time_to_first_seen"));
        Assert.InRange(seen.Value, 90, 120);
        Assert.Equal(new Dictionary<string, string?> { ["urgency"] = "today" }, seen.Tags);
        Assert.Empty(measured.Of("attune.reach.time_to_first_answer"));

        app.Clock.Advance(TimeSpan.FromSeconds(60));
        await Expect.StatusAsync(await second.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "soon", minutes = 20 }), HttpStatusCode.OK);
        await Expect.StatusAsync(await first.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "here" }), HttpStatusCode.OK);
        await Expect.StatusAsync(await second.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "here" }), HttpStatusCode.OK);
        var answered = Assert.Single(measured.Of("attune.reach.time_to_first_answer"));
        Assert.InRange(answered.Value, 150, 180);
        Assert.Equal(new Dictionary<string, string?> { ["urgency"] = "today", ["answer"] = "soon" }, answered.Tags);
        Assert.Single(measured.Of("attune.reach.time_to_first_seen"));
    }

    [Fact]
    public async Task AnAnswerWithoutOpening_CountsAsTheFirstSighting_Too()
    {
        var (owner, first, _, _) = await CircleOfTwoAsync();
        using var measured = new AttuneMeasurements(app);
        // A day's wait before escalating, so no other test's clock moves it on.
        var id = await ReachAsync(owner, new { urgency = "now", escalateAfterMinutes = 24 * 60 });
        app.Clock.Advance(TimeSpan.FromSeconds(40));
        await Expect.StatusAsync(await first.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "cant" }), HttpStatusCode.OK);

        var seen = Assert.Single(measured.Of("attune.reach.time_to_first_seen"));
        var answered = Assert.Single(measured.Of("attune.reach.time_to_first_answer"));
        Assert.Equal(seen.Value, answered.Value);
        Assert.InRange(answered.Value, 40, 70);
        Assert.Equal(new Dictionary<string, string?> { ["urgency"] = "now", ["answer"] = "cant" }, answered.Tags);
    }

    [Fact]
    public async Task Escalations_AreCounted_ByCauseAndOutcome_AndAReachAnsweredInTime_IsNot()
    {
        var (owner, first, second, firstMember) = await CircleOfTwoAsync();
        using var measured = new AttuneMeasurements(app);

        // Answered in time: the job finds nothing to do.
        var answered = await ReachAsync(owner, new { urgency = "today", to = new[] { firstMember }, escalateAfterMinutes = 5 });
        await Expect.StatusAsync(await first.Api.PostAsJsonAsync($"/api/v1/reaches/{answered}/responses", new { kind = "here" }), HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await app.JobsDoneAsync();
        Assert.Empty(measured.Of("attune.reach.escalations"));

        // Nobody answers: on to the second supporter, then nobody is left.
        await ReachAsync(owner, new { urgency = "today", to = new[] { firstMember }, escalateAfterMinutes = 5 });
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await app.JobsDoneAsync();
        Assert.Equal(["cause=timeout outcome=next"], measured.Of("attune.reach.escalations").Select(Describe));
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await app.JobsDoneAsync();
        Assert.Equal(["cause=timeout outcome=next", "cause=timeout outcome=exhausted"], measured.Of("attune.reach.escalations").Select(Describe));

        // Everyone asked can't: it moves on at once, without the timer.
        var declined = await ReachAsync(owner, new { urgency = "now", to = new[] { firstMember }, escalateAfterMinutes = 30 });
        await Expect.StatusAsync(await first.Api.PostAsJsonAsync($"/api/v1/reaches/{declined}/responses", new { kind = "cant" }), HttpStatusCode.OK);
        Assert.Equal("cause=declined outcome=next", Describe(measured.Of("attune.reach.escalations")[^1]));
        await Expect.StatusAsync(await second.Api.PostAsJsonAsync($"/api/v1/reaches/{declined}/responses", new { kind = "cant" }), HttpStatusCode.OK);
        Assert.Equal("cause=declined outcome=exhausted", Describe(measured.Of("attune.reach.escalations")[^1]));
        Assert.Equal(4, measured.Of("attune.reach.escalations").Count);
        Assert.All(measured.Of("attune.reach.escalations"), m => Assert.Equal(1, m.Value));

        static string Describe(AttuneMeasurements.Measured m) => string.Join(" ", m.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"));
    }

    [Fact]
    public async Task OpenRooms_AreCountedFromTheDatabase_FromOpeningToClosing_PausedIncluded()
    {
        using var measured = new AttuneMeasurements(app);
        var before = await OpenRoomsAsync(measured);
        var f = await app.RegisterAsync("Facilitator");
        var a = await app.RegisterAsync("Member");
        var g = await Support.Groups.SeedRoomAsync(app, f, [(a, "Sam")]);
        await Support.Groups.RoomAsync(f, g);
        Assert.Equal(before, await OpenRoomsAsync(measured)); // waiting is not open

        var v = (await Support.Groups.AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        Assert.Equal(before + 1, await OpenRoomsAsync(measured));
        v = (await Support.Groups.AcceptedAsync(f, g, "pause", v)).GetProperty("version").GetInt64();
        Assert.Equal(before + 1, await OpenRoomsAsync(measured));
        v = (await Support.Groups.AcceptedAsync(f, g, "resume", v)).GetProperty("version").GetInt64();
        await Support.Groups.AcceptedAsync(f, g, "close", v);
        Assert.Equal(before, await OpenRoomsAsync(measured));
    }

    // The gauge reads the database at most once a second; a moment later it reads it again.
    private static async Task<long> OpenRoomsAsync(AttuneMeasurements measured)
    {
        await Task.Delay(1100);
        return (long)Assert.Single(measured.Observe(RoomGauges.OpenRooms)).Value;
    }
}

/// <summary>
/// What the app's own meter (<see cref="AttuneMeters.Name"/>) records, through a <see cref="MeterListener"/>
/// that listens only to this app's meters: the other test hosts in the process have meters of the
/// same name, made by their own <see cref="IMeterFactory"/>.
/// </summary>
internal sealed class AttuneMeasurements : IDisposable
{
    public sealed record Measured(string Instrument, double Value, Dictionary<string, string?> Tags);

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _recorded = new();

    public AttuneMeasurements(AttuneApp app)
    {
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AttuneMeters.Name && ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var (key, tag) in tags) copy[key] = tag?.ToString();
        _recorded.Enqueue(new(instrument.Name, value, copy));
    }

    public List<Measured> Of(string instrument) => _recorded.Where(m => m.Instrument == instrument).ToList();

    /// <summary>Reads the observable gauges now, as a scrape would, and answers what <paramref name="instrument"/> reported.</summary>
    public List<Measured> Observe(string instrument)
    {
        var before = _recorded.Count(m => m.Instrument == instrument);
        _listener.RecordObservableInstruments();
        return Of(instrument).Skip(before).ToList();
    }

    public void Dispose() => _listener.Dispose();
}
