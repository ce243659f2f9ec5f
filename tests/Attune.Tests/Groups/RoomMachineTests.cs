using Attune.Features.Groups.Room;
using static Attune.Features.Groups.Room.RoomCommand;

namespace Attune.Tests.Groups;

/// <summary>The room's rules, one allowed and one refused case per event (docs/groups.md, "The room"), on the pure engine.</summary>
public sealed class RoomMachineTests
{
    private const string F = "facilitator-id", A = "member-a", B = "member-b", C = "member-c", Stranger = "stranger";
    private static readonly Guid Meeting = Guid.Parse("0b3f7c2e-8a51-4d7e-9f10-2c6e4b8d1a55");

    private static RoomState Waiting() => RoomState.Waiting(F, Meeting, [A, B, C]);

    private static RoomDecision.Accepted Accept(RoomState s, string actor, Func<long, RoomCommand> make)
    {
        var decision = RoomMachine.Decide(s, actor, make(s.Version));
        var accepted = Assert.IsType<RoomDecision.Accepted>(decision);
        Assert.Equal(s.Version + 1, accepted.Next.Version);
        return accepted;
    }

    private static RoomState Next(RoomState s, string actor, Func<long, RoomCommand> make) => Accept(s, actor, make).Next;

    private static RoomDecision.Rejected Refuse(RoomState s, string actor, Func<long, RoomCommand> make, RoomRefusal why)
    {
        var rejected = Assert.IsType<RoomDecision.Rejected>(RoomMachine.Decide(s, actor, make(s.Version)));
        Assert.True(rejected.Why == why, $"Expected {why}, got {rejected.Why}: {rejected.Message}");
        return rejected;
    }

    private static RoomState Opened() => Next(Waiting(), F, v => new Open(v));

    private static RoomState Arrived()
    {
        var s = Opened();
        foreach (var m in new[] { A, B, C }) s = Next(s, m, v => new CheckIn(v, 3, false));
        return s;
    }

    /// <summary>A round in check-in order: A holds the piece, then B, then C.</summary>
    private static RoomState InRound() => Next(Arrived(), F, v => new StartRound(v, "felt-age", false, false, null));

    private static readonly Guid PostA = Guid.Parse("6a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d");

    [Fact]
    public void Refusals_ComeInOrder_NotInTheGroupThenStaleThenNotYours()
    {
        var s = Opened();
        Refuse(s, Stranger, _ => new Open(99), RoomRefusal.NotFound);
        Refuse(s, A, _ => new Close(s.Version - 1), RoomRefusal.Stale);
        Refuse(s, A, v => new Close(v), RoomRefusal.NotYours);
        Refuse(s, A, v => new MemberLeft(v, B), RoomRefusal.NotYours);
        Refuse(s, RoomActor.System, v => new Close(v), RoomRefusal.Invalid);
    }

    [Fact]
    public void Open_ByTheFacilitator_OnlyOnce()
    {
        var s = Opened();
        Assert.Equal((RoomStatus.Open, RoomPhase.Arrival), (s.Status, s.Phase));
        Refuse(Waiting(), A, v => new Open(v), RoomRefusal.NotYours);
        Refuse(s, F, v => new Open(v), RoomRefusal.Invalid);
    }

    [Fact]
    public void CheckIn_MarksCame_ALatecomerJoinsTheEndOfARunningRound()
    {
        var accepted = Accept(Opened(), A, v => new CheckIn(v, 4, false));
        Assert.Contains(new RoomEffect.MarkCame(A), accepted.Effects);
        Refuse(Waiting(), A, v => new CheckIn(v, null, true), RoomRefusal.Invalid);
        Refuse(Opened(), A, v => new CheckIn(v, 11, false), RoomRefusal.Invalid);
        Refuse(accepted.Next, A, v => new CheckIn(v, 1, false), RoomRefusal.Invalid);

        var s = Opened();
        s = Next(s, A, v => new CheckIn(v, 2, false));
        s = Next(s, F, v => new StartRound(v, null, false, false, null));
        Assert.Equal([A], s.Order);
        s = Next(s, B, v => new CheckIn(v, 2, false));
        Assert.Equal([A, B], s.Order);
    }

    [Fact]
    public void StartRound_OrderIsShownBeforeTheFirstTurn_RandomIsReproducible()
    {
        var s = InRound();
        Assert.Equal([A, B, C], s.Order);
        Assert.Equal(A, s.Holder);
        Assert.Equal(1, s.Round);
        var random1 = Next(Arrived(), F, v => new StartRound(v, null, false, true, null));
        var random2 = Next(Arrived(), F, v => new StartRound(v, null, false, true, null));
        Assert.Equal(random1.Order, random2.Order);
        Assert.Equal([A, B, C], random1.Order.Order(StringComparer.Ordinal));
        var given = Next(Arrived(), F, v => new StartRound(v, null, true, false, [C, A]));
        Assert.Equal([C, A, B], given.Order);
        Assert.Equal(C, given.Holder);

        Refuse(Arrived(), A, v => new StartRound(v, null, false, false, null), RoomRefusal.NotYours);
        Assert.Equal("order", Refuse(Opened(), F, v => new StartRound(v, null, false, false, null), RoomRefusal.Invalid).Field);
        Assert.Equal("order", Refuse(Arrived(), F, v => new StartRound(v, null, false, false, [A, Stranger]), RoomRefusal.Invalid).Field);
        Refuse(s, F, v => new StartRound(v, null, false, false, null), RoomRefusal.Invalid);
    }

    [Fact]
    public void Post_OnlyTheHolder_NotMuted_NotPaused_AtMostFivePerTurn()
    {
        var s = InRound();
        var posted = Next(s, A, v => new Post(v, PostA, false));
        Assert.Single(posted.Posts);
        var notHolder = Refuse(s, B, v => new Post(v, Guid.NewGuid(), false), RoomRefusal.NotYours);
        Assert.Equal(A, notHolder.About);
        Assert.Contains("{name}", notHolder.Message, StringComparison.Ordinal);
        Refuse(Next(s, F, v => new Mute(v, A)), A, v => new Post(v, Guid.NewGuid(), false), RoomRefusal.NotYours);
        Refuse(Next(s, F, v => new Pause(v)), A, v => new Post(v, Guid.NewGuid(), false), RoomRefusal.NotYours);
        for (var i = 0; i < RoomMachine.MaxPostsPerTurn; i++) s = Next(s, A, v => new Post(v, Guid.NewGuid(), false));
        Refuse(s, A, v => new Post(v, Guid.NewGuid(), false), RoomRefusal.NotYours);
    }

    [Fact]
    public void Post_WithCrisis_AsksTheFacilitatorsAttention()
    {
        var accepted = Accept(InRound(), A, v => new Post(v, PostA, true));
        Assert.Contains(A, accepted.Next.Attention);
        Assert.Contains(new RoomEffect.SetAttention(A), accepted.Effects);
        Assert.Null(RoomView.For(accepted.Next, B).Facilitator);
        Assert.Equal([A], RoomView.For(accepted.Next, F).Facilitator!.Attention);
    }

    [Fact]
    public void PassAndDone_MoveThePiece_AfterTheLastTheRoundEnds()
    {
        var s = Next(InRound(), A, v => new Post(v, PostA, false));
        Refuse(s, B, v => new Done(v), RoomRefusal.NotYours);
        s = Next(s, A, v => new Done(v));
        Assert.Equal(B, s.Holder);
        Assert.Contains(PostA, s.TurnEnded);
        s = Next(s, B, v => new Pass(v));
        s = Next(s, C, v => new Pass(v));
        Assert.Null(s.Holder);
        Assert.Equal(RoomPhase.BetweenRounds, s.Phase);
        Refuse(s, C, v => new Pass(v), RoomRefusal.NotYours);
    }

    [Fact]
    public void Witness_OnlyOnceTheTurnHasEnded_NeverOnYourOwnPost()
    {
        var s = Next(InRound(), A, v => new Post(v, PostA, false));
        Assert.Equal(A, Refuse(s, B, v => new Witness(v, PostA, "hear"), RoomRefusal.NotYours).About);
        s = Next(s, A, v => new Done(v));
        Next(s, B, v => new Witness(v, PostA, "hear"));
        Next(s, F, v => new Witness(v, PostA, "text"));
        Refuse(s, A, v => new Witness(v, PostA, "hear"), RoomRefusal.NotYours);
        Refuse(Next(s, F, v => new Pause(v)), B, v => new Witness(v, PostA, "heart"), RoomRefusal.NotYours);
        Assert.Equal("kind", Refuse(s, B, v => new Witness(v, PostA, "applause"), RoomRefusal.Invalid).Field);
        Assert.Equal("postId", Refuse(s, B, v => new Witness(v, Guid.NewGuid(), "hear"), RoomRefusal.Invalid).Field);
    }

    [Fact]
    public void Moment_IsAMembersToggle_SeenOnlyByTheFacilitator()
    {
        var s = Next(Opened(), B, v => new Moment(v));
        Assert.Equal([B], s.Moments);
        Assert.True(RoomView.For(s, B).Me.Moment);
        Assert.Null(RoomView.For(s, B).Facilitator);
        Assert.False(RoomView.For(s, A).Me.Moment);
        Assert.Empty(Next(s, B, v => new Moment(v)).Moments);
        Refuse(Opened(), F, v => new Moment(v), RoomRefusal.NotYours);
        Refuse(Waiting(), B, v => new Moment(v), RoomRefusal.Invalid);
    }

    [Fact]
    public void StepOut_HandsThePieceOn_ReturnKeepsTheirPlace()
    {
        var s = Next(InRound(), A, v => new StepOut(v));
        Assert.Equal(B, s.Holder);
        Assert.Equal([A, B, C], s.Order);
        Refuse(s, A, v => new StepOut(v), RoomRefusal.Invalid);
        s = Next(s, A, v => new Back(v));
        Assert.DoesNotContain(A, s.SteppedOut);
        Refuse(s, A, v => new Back(v), RoomRefusal.Invalid);
        Refuse(s, F, v => new StepOut(v), RoomRefusal.NotYours);
    }

    [Fact]
    public void Withdraw_ByTheAuthor_EvenAfterClose_RemovePost_ByTheFacilitator()
    {
        var s = Next(InRound(), A, v => new Post(v, PostA, false));
        var closed = Next(s, F, v => new Close(v));
        var withdrawn = Accept(closed, A, v => new Withdraw(v, PostA));
        Assert.Empty(withdrawn.Next.Posts);
        Assert.Contains(new RoomEffect.DeletePost(PostA), withdrawn.Effects);
        Refuse(s, B, v => new Withdraw(v, PostA), RoomRefusal.NotYours);
        Assert.Empty(Next(s, F, v => new RemovePost(v, PostA)).Posts);
        Refuse(s, B, v => new RemovePost(v, PostA), RoomRefusal.NotYours);
    }

    [Fact]
    public void Mute_LastsTheRound_ByTheFacilitatorOnly()
    {
        var s = Next(InRound(), F, v => new Mute(v, B));
        Assert.Equal([B], s.Muted);
        Assert.True(RoomView.For(s, B).Me.Muted);
        Assert.Empty(Next(s, F, v => new Unmute(v, B)).Muted);
        Refuse(InRound(), A, v => new Mute(v, B), RoomRefusal.NotYours);
        Refuse(Arrived(), F, v => new Mute(v, B), RoomRefusal.Invalid);
        Refuse(s, F, v => new Unmute(v, C), RoomRefusal.Invalid);
        foreach (var m in new[] { A, B, C }) s = Next(s, s.Holder!, v => new Pass(v));
        Assert.Empty(s.Muted);
    }

    [Fact]
    public void Remove_DropsThemEverywhere_AndAsksTheGroupToRemoveThem()
    {
        var removed = Accept(InRound(), F, v => new Remove(v, A));
        Assert.Contains(new RoomEffect.RemoveMember(A), removed.Effects);
        Assert.DoesNotContain(A, removed.Next.Members);
        Assert.DoesNotContain(A, removed.Next.Order);
        Assert.Equal(B, removed.Next.Holder);
        Refuse(InRound(), B, v => new Remove(v, A), RoomRefusal.NotYours);
        Refuse(Next(Opened(), F, v => new Close(v)), F, v => new Remove(v, A), RoomRefusal.Invalid);
    }

    [Fact]
    public void Take_TheFacilitatorsDone_GoesOnAfterTheLastHolder()
    {
        var s = Next(InRound(), F, v => new Take(v));
        Assert.Equal(F, s.Holder);
        Next(s, F, v => new Post(v, Guid.NewGuid(), false));
        s = Next(s, F, v => new Done(v));
        Assert.Equal(B, s.Holder);
        Refuse(InRound(), A, v => new Take(v), RoomRefusal.NotYours);
        Refuse(Arrived(), F, v => new Take(v), RoomRefusal.Invalid);
    }

    [Fact]
    public void SkipAndReorder_ByTheFacilitator()
    {
        Assert.Equal(B, Next(InRound(), F, v => new Skip(v)).Holder);
        Refuse(InRound(), B, v => new Skip(v), RoomRefusal.NotYours);
        Assert.Equal([C, A, B], Next(InRound(), F, v => new Reorder(v, [C, A])).Order);
        Refuse(InRound(), F, v => new Reorder(v, [C, C]), RoomRefusal.Invalid);
        Refuse(InRound(), A, v => new Reorder(v, [C, A, B]), RoomRefusal.NotYours);
    }

    [Fact]
    public void PauseAndResume_KeepThePhase_SafetyStillWorks()
    {
        var s = Next(InRound(), F, v => new Pause(v));
        Assert.Equal((RoomStatus.Paused, RoomPhase.Round), (s.Status, s.Phase));
        Next(s, B, v => new Moment(v));
        Next(s, C, v => new StepOut(v));
        Refuse(s, F, v => new Pause(v), RoomRefusal.Invalid);
        Refuse(s, A, v => new Unpause(v), RoomRefusal.NotYours);
        Assert.Equal(RoomStatus.Open, Next(s, F, v => new Unpause(v)).Status);
        Refuse(Opened(), F, v => new Unpause(v), RoomRefusal.Invalid);
    }

    [Fact]
    public void Seen_ClearsAMembersMomentAndAttention()
    {
        var s = Next(Next(InRound(), A, v => new Post(v, PostA, true)), A, v => new Moment(v));
        s = Next(s, F, v => new Seen(v, A));
        Assert.Empty(s.Moments);
        Assert.Empty(s.Attention);
        Refuse(s, B, v => new Seen(v, A), RoomRefusal.NotYours);
    }

    [Fact]
    public void CheckOut_AfterTheFacilitatorBeginsIt()
    {
        Refuse(InRound(), A, v => new CheckOut(v, 2, false), RoomRefusal.Invalid);
        var s = Next(Next(InRound(), A, v => new Post(v, PostA, false)), F, v => new StartCheckOut(v));
        Assert.Equal(RoomPhase.CheckOut, s.Phase);
        Assert.Null(s.Holder);
        Assert.Contains(PostA, s.TurnEnded);
        s = Next(s, A, v => new CheckOut(v, 2, false));
        Assert.Equal([A], s.CheckedOut);
        Refuse(s, A, v => new CheckOut(v, 2, false), RoomRefusal.Invalid);
        Refuse(InRound(), A, v => new StartCheckOut(v), RoomRefusal.NotYours);
    }

    [Fact]
    public void Close_ByTheFacilitator_Once_AndTellsTheStore()
    {
        var closed = Accept(InRound(), F, v => new Close(v));
        Assert.Equal(RoomStatus.Closed, closed.Next.Status);
        Assert.Equal("facilitator", closed.Next.CloseReason);
        Assert.Contains(new RoomEffect.Closed("facilitator"), closed.Effects);
        Refuse(closed.Next, F, v => new Close(v), RoomRefusal.Invalid);
        Refuse(InRound(), A, v => new Close(v), RoomRefusal.NotYours);
    }

    [Fact]
    public void System_MemberLeft_MovesThePiece_AutoClose_OnlyWhileWaiting()
    {
        var s = Next(InRound(), RoomActor.System, v => new MemberLeft(v, A));
        Assert.Equal(B, s.Holder);
        Assert.DoesNotContain(A, s.Members);
        Refuse(s, RoomActor.System, v => new MemberLeft(v, A), RoomRefusal.Invalid);

        var closed = Accept(Waiting(), RoomActor.System, v => new AutoClose(v, "facilitatorAbsent"));
        Assert.Equal("facilitatorAbsent", closed.Next.CloseReason);
        Assert.Contains(new RoomEffect.Closed("facilitatorAbsent"), closed.Effects);
        Refuse(Opened(), RoomActor.System, v => new AutoClose(v, "facilitatorAbsent"), RoomRefusal.Invalid);
    }

    [Fact]
    public void Reconcile_DropsPeopleWhoAreGone_AndTakesInNewMembers_WithoutAVersion()
    {
        var s = Next(InRound(), A, v => new Post(v, PostA, false));
        var reconciled = s.Reconcile(["member-b", "member-c", "member-d"], []);
        Assert.Equal(s.Version, reconciled.Version);
        Assert.Equal([B, C, "member-d"], reconciled.Members);
        Assert.Equal(B, reconciled.Holder);
        Assert.Empty(reconciled.Posts);
    }

    [Fact]
    public void State_RoundTripsThroughJson_WithoutText()
    {
        var s = Next(Next(InRound(), A, v => new Post(v, PostA, true)), F, v => new Mute(v, C));
        var json = s.ToJson();
        var back = RoomState.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(s.Holder, back.Holder);
        Assert.Equal(s.Posts, back.Posts);
    }
}
