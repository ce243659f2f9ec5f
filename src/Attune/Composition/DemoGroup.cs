using System.Globalization;
using Attune.Data;
using Attune.Features.Care;
using Attune.Features.Groups;
using Attune.Features.Groups.Attendance;
using Attune.Features.Groups.Board;
using Attune.Features.Groups.Room;
using Attune.Infrastructure.Jobs;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Attune.Composition;

/// <summary>
/// Dr. Lee's group, so a newcomer sees a group from the inside: Robin, Maya, Aoife and Jonah have
/// applied, been accepted and agreed under the names the group sees; two meetings have happened
/// (one missed by Jonah); the board has a few posts with witness replies; and the third meeting's
/// room is open now, a round running with Aoife holding the talking piece while Robin hasn't
/// checked in yet. Everything goes through the services the API uses, so every word is sealed
/// under the group's key as a person's would be. Skipped when Dr. Lee already has a group.
/// </summary>
internal static class DemoGroup
{
    public const string Title = "Gently, together: meeting the younger self";

    /// <summary>Who is in the group, by account and by the name the group sees.</summary>
    private static readonly (string Email, string GroupName, string[] Answers)[] Members =
    [
        (DemoSeeder.People[0].Email, "Robin", ["To say things out loud and not be fixed.", "Knowing I can pass."]),
        (DemoSeeder.People[3].Email, "Maya", ["Company while I do this. Doing it alone has been lonely.", "Going slowly at the start."]),
        (DemoSeeder.People[4].Email, "Aoife", ["I'd like to hear that other people feel this too.", "Cameras optional, if that's all right."]),
        (DemoSeeder.People[5].Email, "Jonah", ["I'm not sure yet. I'd like to find out.", "Time to warm up before I share."]),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<AttuneDb>();
        var users = services.GetRequiredService<UserManager<AttuneUser>>();
        var lee = await users.FindByEmailAsync(DemoSeeder.People[2].Email);
        if (lee is null || await db.Set<Group>().AnyAsync(g => g.FacilitatorId == lee.Id, ct)) return;
        var people = new List<(string Id, string GroupName, string[] Answers)>();
        foreach (var (email, name, answers) in Members)
            if (await users.FindByEmailAsync(email) is { } user) people.Add((user.Id, name, answers));
        if (people.Count != Members.Length) return;

        // Nobody checks licences in a demo. Dr. Lee's is shown as checked so that their group is
        // listed in the directory the way a checked therapist's group is.
        var profile = await db.Set<TherapistProfile>().AsTracking().FirstOrDefaultAsync(p => p.UserId == lee.Id, ct);
        if (profile is null) return;
        profile.Verified = true;
        await db.SaveChangesAsync(ct);

        var clock = services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        // The meeting that is on now started a quarter of an hour ago; one came a week before it and one a fortnight before.
        var current = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(-15);
        var groupId = await CreateAsync(services, lee.Id, current, ct);
        if (groupId is not { } id) return;
        await JoinAsync(services, lee.Id, id, people, ct);
        var meetings = await db.Set<GroupMeeting>().AsNoTracking().Where(m => m.GroupId == id).OrderBy(m => m.StartsAt).Select(m => m.Id).ToListAsync(ct);

        var rooms = services.GetRequiredService<RoomService>();
        var robin = people[0].Id;
        var maya = people[1].Id;
        var aoife = people[2].Id;
        var jonah = people[3].Id;
        await PastMeetingAsync(rooms, lee.Id, id, meetings[0], [(maya, 5, "nervous"), (robin, 6, "curious"), (aoife, 4, "here"), (jonah, 6, null)],
            [(maya, 3, "lighter"), (robin, 4, "held"), (aoife, 3, "warm"), (jonah, 5, "quieter")], ct);
        await PastMeetingAsync(rooms, lee.Id, id, meetings[1], [(robin, 5, "tired"), (maya, 4, "steady"), (aoife, 5, "wobbly")],
            [(robin, 3, "softer"), (maya, 3, "seen"), (aoife, 4, null)], ct);
        await BoardAsync(services, id, lee.Id, robin, maya, aoife, jonah, ct);
        await OpenNowAsync(rooms, lee.Id, id, meetings[2], maya, aoife, jonah, ct);
        var attendance = services.GetRequiredService<MeetingAttendance>();
        foreach (var (person, coming) in new[] { (robin, true), (maya, true), (aoife, true), (jonah, false) })
            await attendance.SetAsync(person, id, meetings[3], new AttendanceInput(coming), ct);
        await MoveIntoPlaceAsync(db, id, current, ct);
    }

    /// <summary>
    /// The group as Dr. Lee would create it. Meetings can only be planned in the future, so the six
    /// are planned a week apart from a week after <paramref name="current"/>; <see cref="MoveIntoPlaceAsync"/>
    /// moves them back three weeks once the first three have been met.
    /// </summary>
    private static async Task<Guid?> CreateAsync(IServiceProvider services, string leeId, DateTime current, CancellationToken ct)
    {
        var zone = GroupRules.Zone("Europe/Dublin")!;
        var meetings = Enumerable.Range(1, 6).Select(week => TimeZoneInfo.ConvertTimeFromUtc(current.AddDays(7 * week), zone))
            .Select(local => new MeetingInput(local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), 90)).ToList();
        var (group, errors) = await services.GetRequiredService<GroupsService>().CreateAsync(leeId, new GroupInput(
            Title,
            "Adults who have begun noticing their younger self and would like company while they listen to them",
            "Six evenings, once a week, online. Each meeting opens with a short check-in, then one or two rounds with a talking piece: "
            + "one person speaks while the others listen. Nobody gives advice or tries to fix anything; we witness. You can pass at any point, "
            + "step out when you need to, and come back when you're ready. What is said in the room stays in the room.",
            "meeting the younger self, at your own pace", 2, "en", 6, "Europe/Dublin", 90, "apply", true,
            ["What would you like from the group?", "Is there anything that would help you feel safer in the room?"],
            null, "meeting", meetings, null), ct);
        if (group is not null) return group.Id;
        // A local time that falls where the clocks change on the night the demo starts: no group rather than no demo.
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoGroup)).LogWarning(
            "Demo mode: the demo group was not created ({Fields}).", string.Join(", ", errors?.Items.Select(e => e.Field) ?? []));
        return null;
    }

    /// <summary>Each person applies, Dr. Lee accepts, and they accept the agreements under the name the group sees.</summary>
    private static async Task JoinAsync(IServiceProvider services, string leeId, Guid groupId, List<(string Id, string GroupName, string[] Answers)> people, CancellationToken ct)
    {
        var applications = services.GetRequiredService<Applications>();
        var membership = services.GetRequiredService<Membership>();
        foreach (var (person, name, answers) in people)
        {
            var (application, errors) = await applications.ApplyAsync(person, groupId, new ApplicationInput([.. answers], false, false), ct);
            if (application is null) throw new InvalidOperationException("A demo application was refused: " + string.Join(", ", errors?.Items.Select(e => e.Field) ?? []));
            await applications.AnswerAsync(leeId, groupId, application.Id, "accept", null, ct);
            var (member, refused) = await membership.AgreeAsync(person, groupId, new AgreementInput(true, name, false), ct);
            if (member is null) throw new InvalidOperationException("A demo agreement was refused: " + string.Join(", ", refused?.Items.Select(e => e.Field) ?? []));
        }
    }

    /// <summary>A meeting that has happened: opened, checked into (whoever came), checked out of and closed.</summary>
    private static async Task PastMeetingAsync(RoomService rooms, string leeId, Guid groupId, Guid meetingId,
        (string Who, int Suds, string? Word)[] checkIns, (string Who, int Suds, string? Word)[] checkOuts, CancellationToken ct)
    {
        var room = new DemoRoom(rooms, groupId, meetingId);
        await room.ActAsync(leeId, new RoomEventInput("open", null), ct);
        foreach (var (who, suds, word) in checkIns) await room.ActAsync(who, new RoomEventInput("checkIn", null, suds, word, word is null), ct);
        await room.ActAsync(leeId, new RoomEventInput("startCheckOut", null), ct);
        foreach (var (who, suds, word) in checkOuts) await room.ActAsync(who, new RoomEventInput("checkOut", null, suds, word, word is null), ct);
        await room.ActAsync(leeId, new RoomEventInput("close", null), ct);
    }

    /// <summary>The meeting on now: three have checked in, a round on felt age is running, Maya has shared and been witnessed, Aoife holds the piece.</summary>
    private static async Task OpenNowAsync(RoomService rooms, string leeId, Guid groupId, Guid meetingId, string maya, string aoife, string jonah, CancellationToken ct)
    {
        var room = new DemoRoom(rooms, groupId, meetingId);
        await room.ActAsync(leeId, new RoomEventInput("open", null), ct);
        await room.ActAsync(maya, new RoomEventInput("checkIn", null, 4, "tender"), ct);
        await room.ActAsync(aoife, new RoomEventInput("checkIn", null, 3, "ready"), ct);
        await room.ActAsync(jonah, new RoomEventInput("checkIn", null, 5, null, true), ct);
        await room.ActAsync(leeId, new RoomEventInput("startRound", null, PromptId: "p2-felt-age"), ct);
        var shared = await room.ActAsync(maya, new RoomEventInput("post", null,
            Text: "About seven, I think. Someone at work laughed at an idea of mine, and I wanted to hide under a table the way I used to. "
            + "She was small and very quiet, and she was watching everyone's faces."), ct);
        var post = shared.Posts[^1].Id;
        await room.ActAsync(maya, new RoomEventInput("done", null), ct);
        await room.ActAsync(leeId, new RoomEventInput("witness", null, Text: "Thank you, Maya. I could feel how closely that seven-year-old was watching.", PostId: post), ct);
        await room.ActAsync(jonah, new RoomEventInput("witness", null, PostId: post, Kind: "metoo"), ct);
        await room.ActAsync(aoife, new RoomEventInput("witness", null, PostId: post, Kind: "heart"), ct);
    }

    /// <summary>A few posts between meetings, with witness replies.</summary>
    private static async Task BoardAsync(IServiceProvider services, Guid groupId, string leeId, string robin, string maya, string aoife, string jonah, CancellationToken ct)
    {
        var board = services.GetRequiredService<BoardService>();
        async Task<Guid> PostAsync(string who, string text) =>
            (await board.PostAsync(who, groupId, new BoardPostInput(text), ct)).Value?.Id ?? throw new InvalidOperationException("A demo board post was refused.");
        async Task WitnessAsync(string who, Guid post, string? kind, string? text)
        {
            if ((await board.WitnessAsync(who, groupId, post, new BoardWitnessInput(kind, text, null), ct)).Answer != BoardAnswer.Ok)
                throw new InvalidOperationException("A demo board witness was refused.");
        }

        var welcome = await PostAsync(leeId, "Thank you all for last week. It takes courage to come to a first meeting. "
            + "This board is here between meetings, with the same agreements as the room: share from your own experience, and witness rather than advise.");
        await WitnessAsync(maya, welcome, "thanks", null);
        await WitnessAsync(robin, welcome, "heart", null);
        var robinPost = await PostAsync(robin, "I noticed the younger me turn up twice this week: once when a message went unanswered, "
            + "and once when I was praised and didn't know where to look. I didn't do anything about it. I just noticed, and that felt like enough.");
        await WitnessAsync(aoife, robinPost, null, "The not knowing where to look when praised. I know that one well.");
        await WitnessAsync(jonah, robinPost, "hear", null);
        await WitnessAsync(leeId, robinPost, "thanks", null);
        var mayaPost = await PostAsync(maya, "Leaving the second meeting I felt tired in a good way, like after a long walk.");
        await WitnessAsync(robin, mayaPost, "metoo", null);
    }

    /// <summary>
    /// Once the first three meetings have been met, the whole cycle moves back three weeks, so that two
    /// meetings are behind the group and the third began a quarter of an hour ago. Only the times move
    /// (no words), with each meeting's no-show job kept ten minutes after its start.
    /// </summary>
    private static async Task MoveIntoPlaceAsync(AttuneDb db, Guid groupId, DateTime current, CancellationToken ct)
    {
        var meetings = await db.Set<GroupMeeting>().AsTracking().Where(m => m.GroupId == groupId).OrderBy(m => m.StartsAt).ToListAsync(ct);
        var shift = meetings[2].StartsAt - current;
        foreach (var m in meetings) m.StartsAt -= shift;
        var ids = meetings.Select(m => m.Id).ToList();
        foreach (var job in await db.Set<Job>().AsTracking().Where(j => j.Kind == GroupJobs.NoShow && ids.Contains(j.Subject)).ToListAsync(ct))
            job.DueAt = meetings.First(m => m.Id == job.Subject).StartsAt + GroupMeetings.NoShowAfter;

        // The board's posts were written between the meetings they speak of: the welcome the day after the
        // first, Robin's noticing later that week, Maya's the evening of the second; each reply a few hours on.
        var posts = await db.Set<GroupBoardPost>().AsTracking().Where(p => p.GroupId == groupId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct);
        DateTime[] written = [meetings[0].StartsAt.AddDays(1), meetings[0].StartsAt.AddDays(5), meetings[1].StartsAt.AddHours(3)];
        var postIds = posts.Select(p => p.Id).ToList();
        var replies = await db.Set<GroupBoardWitness>().AsTracking().Where(w => postIds.Contains(w.PostId)).OrderBy(w => w.CreatedAt).ThenBy(w => w.Id).ToListAsync(ct);
        for (var i = 0; i < posts.Count && i < written.Length; i++)
        {
            posts[i].CreatedAt = written[i];
            var hours = 2;
            foreach (var reply in replies.Where(w => w.PostId == posts[i].Id))
            {
                reply.CreatedAt = written[i].AddHours(hours);
                hours += 3;
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Room events in sequence, each sent with the version the last one gave, as a page would.</summary>
    private sealed class DemoRoom(RoomService rooms, Guid groupId, Guid meetingId)
    {
        private long _version;

        public async Task<RoomStateDto> ActAsync(string who, RoomEventInput input, CancellationToken ct)
        {
            var outcome = await rooms.ApplyAsync(who, groupId, meetingId, input with { ExpectedVersion = _version }, ct);
            if (outcome.Answer != RoomAnswer.Ok)
                throw new InvalidOperationException($"A demo room event ({input.Type}) was refused: {outcome.Answer} {outcome.Title} "
                    + string.Join(", ", outcome.Errors?.Items.Select(e => e.Field) ?? []));
            _version = outcome.State!.Version;
            return outcome.State;
        }
    }
}
