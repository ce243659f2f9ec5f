using System.Net;
using Attune.Features.Groups;
using Attune.Infrastructure;
using Attune.Infrastructure.Jobs;
using Attune.Tests.Support;
using static Attune.Tests.Support.Groups;

namespace Attune.Tests.Groups;

/// <summary>Ten minutes after the start, a room the facilitator never opened closes kindly, and the members hear of it at once.</summary>
public sealed class RoomNoShowTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private async Task QueueNoShowAsync(SeededGroup g, DateTime startsAt) => await app.WithDbAsync(async db =>
    {
        db.Add(new Job { Id = SequentialGuid.Next(), Kind = GroupJobs.NoShow, Subject = g.MeetingId, DueAt = startsAt.AddMinutes(10) });
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task TheFacilitatorNeverCame_TheRoomClosesAsFacilitatorAbsent_AndMembersAreTold()
    {
        var f = await app.RegisterAsync("Facilitator");
        var a = await app.RegisterAsync("Member");
        var startsIn = TimeSpan.FromMinutes(30);
        var g = await SeedRoomAsync(app, f, [(a, "Sam")], startsIn);
        await QueueNoShowAsync(g, app.Clock.GetUtcNow().UtcDateTime + startsIn);
        await using var stream = await LiveEvents.OpenAsync(app, a);
        var jobs = app.Service<JobRunner>();

        // Before the ten minutes are up, nothing happens.
        await jobs.RunDueAsync(GroupJobs.Lane);
        Assert.Equal("waiting", (await RoomAsync(a, g)).GetProperty("status").GetString());

        app.Clock.Advance(startsIn + TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(5));
        await jobs.RunDueAsync(GroupJobs.Lane);
        var room = await RoomAsync(a, g);
        Assert.Equal("closed", room.GetProperty("status").GetString());
        Assert.Equal("facilitatorAbsent", room.GetProperty("closeReason").GetString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var (type, data) = await stream.Frames.Reader.ReadAsync(timeout.Token);
        Assert.Equal("group.room", type);
        Assert.Equal(1, data.GetProperty("version").GetInt64());
        // The closed room takes no more events but the author's withdrawals.
        await Expect.StatusAsync(await EventAsync(f, g, "open", 1), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnOpenedRoom_IsLeftAlone()
    {
        var f = await app.RegisterAsync("Facilitator");
        var a = await app.RegisterAsync("Member");
        var g = await SeedRoomAsync(app, f, [(a, "Sam")], TimeSpan.FromMinutes(-15));
        // Opened before the job is queued, so the job (due already) can only find an open room.
        await AcceptedAsync(f, g, "open", 0);
        await QueueNoShowAsync(g, app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-15));
        await app.Service<JobRunner>().RunDueAsync(GroupJobs.Lane);
        var room = await RoomAsync(a, g);
        Assert.Equal("open", room.GetProperty("status").GetString());
        Assert.Equal(1, room.GetProperty("version").GetInt64());
    }
}
