using System.Collections.Immutable;
using System.Text.Json;
using Attune.Features.Groups.Room;
using Attune.Infrastructure.Live;
using FsCheck;
using FsCheck.Fluent;
using static Attune.Features.Groups.Room.RoomCommand;

namespace Attune.Tests.Groups;

/// <summary>
/// Random meetings driven through the real engine and the real fan-out into a real
/// <see cref="EventHub"/>: whoever acts, whatever they ask and whatever version they send, the
/// room's promises hold (docs/groups.md, "The room").
/// </summary>
public sealed class RoomPropertyTests
{
    private const string F = "facilitator";
    private const string Stranger = "stranger";
    private static readonly Guid GroupId = Guid.Parse("4d1c7f0a-2b3e-4c5d-8e9f-0a1b2c3d4e5f");
    private static readonly Guid MeetingId = Guid.Parse("9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a");

    /// <summary>One step: who acts (a kind and an index), what they ask (a command and two arguments), and whether their version is stale.</summary>
    public sealed record Move(int Who, int Index, int Command, int First, int Second, bool Stale, bool Flag);

    public sealed record Meeting(int MemberCount, IReadOnlyList<Move> Steps);

    private static Gen<Meeting> Meetings()
    {
        var step =
            from who in Gen.Choose(0, 19)
            from index in Gen.Choose(0, 7)
            from command in Gen.Choose(0, 39)
            from first in Gen.Choose(0, 40)
            from second in Gen.Choose(0, 40)
            from stale in Gen.Frequency((85, Gen.Constant(false)), (15, Gen.Constant(true)))
            from flag in Gen.Elements(true, false)
            select new Move(who, index, command, first, second, stale, flag);
        return from members in Gen.Choose(3, 8)
               from length in Gen.Choose(1, 150)
               from steps in Gen.ListOf(step, length)
               select new Meeting(members, [.. steps]);
    }

    [Fact]
    public void AnyMeeting_KeepsTheRoomsPromises()
    {
        var property = Prop.ForAll(Meetings().ToArbitrary(), (Meeting m) => Run(m));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    private static void Run(Meeting meeting)
    {
        var members = Enumerable.Range(0, meeting.MemberCount).Select(i => $"member-{i}").ToList();
        var everyone = members.Prepend(F).Append(Stranger).ToList();
        var hub = new EventHub();
        var streams = everyone.ToDictionary(p => p, p => hub.Subscribe(p)!);
        var removedAt = new Dictionary<string, long>();
        var removed = new List<string>();
        var state = RoomState.Waiting(F, MeetingId, members);
        var stepNumber = 0;
        try
        {
            foreach (var step in meeting.Steps)
            {
                stepNumber++;
                var (actor, command) = Build(step, state, members, stepNumber);
                var decision = RoomMachine.Decide(state, actor, command);
                if (actor != RoomActor.System && !state.IsIn(actor))
                    Assert.True(decision is RoomDecision.Rejected { Why: RoomRefusal.NotFound }, $"step {stepNumber}: someone outside the group got {decision}");
                else if (command.ExpectedVersion != state.Version)
                    Assert.True(decision is RoomDecision.Rejected { Why: RoomRefusal.Stale }, $"step {stepNumber}: a stale version got {decision}");
                if (decision is RoomDecision.Accepted accepted)
                {
                    // (1) Only the holder posts, never muted, never while paused.
                    if (command is Post)
                        Assert.True(actor == state.Holder && !state.Muted.Contains(actor) && state.Status == RoomStatus.Open, $"step {stepNumber}: a post from {actor} was accepted");
                    // (2) Exactly one version per accepted event.
                    Assert.Equal(state.Version + 1, accepted.Next.Version);
                    foreach (var gone in state.Members.Where(x => !accepted.Next.Members.Contains(x))) removedAt[gone] = accepted.Next.Version;
                    state = accepted.Next;
                    RoomFanout.Publish(hub, state, GroupId, MeetingId);
                    // The group's removal, as Membership does it: once the room has moved on without them, one group.removed to the person.
                    foreach (var removal in accepted.Effects.OfType<RoomEffect.RemoveMember>())
                    {
                        hub.Publish(removal.UserId, Attune.Features.Groups.Membership.RemovedEvent, GroupId);
                        removed.Add(removal.UserId);
                    }
                    // (6) A member's view never carries the facilitator's moments, attention or anyone's numbers.
                    foreach (var member in state.Members)
                    {
                        var view = RoomView.For(state, member);
                        Assert.Null(view.Facilitator);
                        Assert.False(view.ShowsSuds);
                        Assert.Equal(state.Moments.Contains(member), view.Me.Moment);
                    }
                }
                // (5) The piece is with someone in the room; the order holds members, once each; only members and the facilitator can be waiting for a word.
                Assert.True(state.Attention.All(a => a == F || state.Members.Contains(a)), $"step {stepNumber}: attention holds {string.Join(",", state.Attention)}");
                Assert.True(state.Holder is null || state.Holder == F || state.Members.Contains(state.Holder), $"step {stepNumber}: the holder {state.Holder} isn't in the group");
                Assert.True(state.Order.All(state.Members.Contains) && state.Order.Distinct().Count() == state.Order.Count, $"step {stepNumber}: the order is {string.Join(",", state.Order)}");
            }

            // (3) Everyone gets every version once, in order, from the start until they leave; (4) nothing after.
            // (7) Someone removed gets exactly one group.removed, after their last room frame, and nothing after it.
            foreach (var person in everyone)
            {
                var (versions, removals, afterRemoval) = Frames(streams[person]);
                Assert.Equal(removed.Contains(person) ? 1 : 0, removals);
                Assert.True(afterRemoval == 0, $"{person} got {afterRemoval} frames after group.removed");
                var last = person == Stranger ? 0 : removedAt.TryGetValue(person, out var removal) ? removal - 1 : state.Version;
                Assert.True(versions.SequenceEqual(Enumerable.Range(1, (int)last).Select(v => (long)v)),
                    $"{person} got versions {string.Join(",", versions)}; expected 1..{last}");
            }
        }
        finally
        {
            foreach (var s in streams.Values) s.Dispose();
        }
    }

    /// <summary>The room versions a person received, how many group.removed, and how many frames of any kind came after one.</summary>
    private static (List<long> Versions, int Removals, int AfterRemoval) Frames(EventHub.Subscription stream)
    {
        var versions = new List<long>();
        var (removals, after) = (0, 0);
        while (stream.Channel.Reader.TryRead(out var frame))
        {
            var lines = frame.Split('\n').SkipWhile(l => l.StartsWith("id: ", StringComparison.Ordinal)).ToArray(); // the id is the stream's place, for reconnects
            if (removals > 0) after++;
            if (lines[0] == "event: " + Attune.Features.Groups.Membership.RemovedEvent)
            {
                removals++;
                Assert.Equal(GroupId, JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.GetProperty("id").GetGuid());
                continue;
            }
            Assert.Equal("event: " + RoomFanout.EventType, lines[0]);
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement;
            Assert.Equal(["id", "groupId", "meetingId", "version"], data.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(MeetingId, data.GetProperty("id").GetGuid());
            versions.Add(data.GetProperty("version").GetInt64());
        }
        return (versions, removals, after);
    }

    private static (string Actor, RoomCommand Command) Build(Move step, RoomState s, List<string> members, int number)
    {
        var v = step.Stale ? s.Version + (step.Flag ? 1 : -1) : s.Version;
        string Member(int i) => i % 11 == 10 ? Stranger : members[i % members.Count];
        Guid PostOf(int i) => s.Posts.Count == 0 || i % 6 == 5 ? new Guid(number, 7, 7, [0, 0, 0, 0, 0, 0, 0, (byte)i]) : s.Posts[i % s.Posts.Count].Id;
        ImmutableList<string> Order(int i) => [.. members.Where((_, k) => (i >> (k % 5) & 1) == 1 || k % 3 == i % 3)];
        var turnTaking = step.Command is >= 28 and <= 35;
        var actor = step.Who switch
        {
            <= 5 => F,
            <= 16 => turnTaking && s.Holder is { } h && step.Who < 15 ? h : Member(step.Index),
            <= 18 => Stranger,
            _ => RoomActor.System,
        };
        if (actor == RoomActor.System)
            return (actor, step.Command % 2 == 0 ? new MemberLeft(v, Member(step.First)) : new AutoClose(v, "facilitatorAbsent"));
        RoomCommand command = step.Command switch
        {
            0 or 38 => new Open(v),
            1 or 24 or 25 or 26 or 27 => new CheckIn(v, step.First % 13 - 1, step.Flag, step.Second % 7 == 0),
            2 or 36 or 37 => new StartRound(v, step.Flag ? "felt-age" : null, !step.Flag, step.First % 2 == 0, step.Second % 3 == 0 ? Order(step.Second) : null),
            3 or 28 or 29 or 30 or 31 => new Post(v, new Guid(number, 1, 1, [0, 0, 0, 0, 0, 0, 0, 1]), step.Flag && step.First % 4 == 0),
            4 or 32 or 33 => new Pass(v),
            5 or 34 or 35 => new Done(v),
            6 => new Witness(v, PostOf(step.First), new[] { "thanks", "hear", "metoo", "heart", "text", "applause" }[step.Second % 6], step.Flag),
            7 => new Moment(v),
            8 => new StepOut(v),
            9 => new Back(v),
            10 => new Withdraw(v, PostOf(step.First)),
            11 => new RemovePost(v, PostOf(step.First)),
            12 => new Mute(v, Member(step.First)),
            13 => new Unmute(v, Member(step.First)),
            14 => new Remove(v, Member(step.First)),
            15 => new Take(v),
            16 => new Skip(v),
            17 => new Reorder(v, Order(step.First)),
            18 => new Pause(v),
            19 => new Unpause(v),
            20 => new Seen(v, Member(step.First)),
            21 => new StartCheckOut(v),
            22 => new CheckOut(v, step.First % 13 - 1, step.Flag, step.Second % 7 == 0),
            23 => new Close(v),
            _ => new MemberLeft(v, Member(step.First)),
        };
        return (actor, command);
    }
}
