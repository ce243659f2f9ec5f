using System.Collections.Immutable;
using static Attune.Features.Groups.Room.RoomCommand;

namespace Attune.Features.Groups.Room;

/// <summary>
/// The room's rules, as one pure function: the state, who acts and what they ask give the next
/// state and what the store must do, or a refusal. It knows no text, no database and no clock.
/// Refusals come in a fixed order, which is the HTTP answer: not in the group (404), a stale
/// version (409), not theirs to do (403), then not possible now or badly formed (400). Every
/// accepted command raises the version by exactly one.
/// </summary>
public static class RoomMachine
{
    public const int MaxPostsPerTurn = 5;

    public static ImmutableArray<string> FixedWitnesses => GroupWitness.Kinds;

    public static RoomDecision Decide(RoomState s, string actor, RoomCommand c)
    {
        var system = actor == RoomActor.System;
        if (!system && !s.IsIn(actor)) return new RoomDecision.Rejected(RoomRefusal.NotFound, null, "This room isn't one you're in.");
        if (c.ExpectedVersion != s.Version) return new RoomDecision.Rejected(RoomRefusal.Stale, "expectedVersion", "The room has moved on");
        if (system != c.IsSystem)
            return system ? Invalid("type", "The app can only close a room or take someone out of it.") : NotYours("Only Attune itself does that.");
        var f = actor == s.FacilitatorId;
        var decision = c switch
        {
            Open => !f ? FacilitatorOnly("open the room")
                : s.Status != RoomStatus.Waiting ? Invalid("type", "The room has already opened.")
                : Ok(s, s with { Status = RoomStatus.Open, Phase = RoomPhase.Arrival }),
            CheckIn x => CheckInto(s, actor, f, x),
            StartRound x => StartRoundOf(s, f, x),
            Post x => PostOf(s, actor, x),
            Pass or Done => actor != s.Holder ? NotHolder(s) : Ok(s, MoveOn(s)),
            Witness x => WitnessOf(s, actor, x),
            Moment => f ? NotYours("\"I need a moment\" is for members; you can pause the room instead.")
                : !s.IsOpen ? NotOpen(s)
                : Ok(s, s with { Moments = Toggle(s.Moments, actor) }),
            StepOut => f ? NotYours("Stepping out is for members; you can pause the room instead.")
                : !s.IsOpen ? NotOpen(s)
                : s.SteppedOut.Contains(actor) ? Invalid("type", "You've already stepped out.")
                : Ok(s, StepOutOf(s, actor)),
            Back => f ? NotYours("Stepping out is for members.")
                : !s.IsOpen ? NotOpen(s)
                : !s.SteppedOut.Contains(actor) ? Invalid("type", "You're already here.")
                : Ok(s, s with { SteppedOut = s.SteppedOut.Remove(actor) }),
            Withdraw x => s.Posts.Find(p => p.Id == x.PostId) is not { } post ? NoSuchPost()
                : post.AuthorId != actor ? NotYours("Only the person who wrote a post can withdraw it.")
                : Ok(s, WithoutPost(s, x.PostId), new RoomEffect.DeletePost(x.PostId)),
            RemovePost x => !f ? FacilitatorOnly("take a post down")
                : !s.Posts.Exists(p => p.Id == x.PostId) ? NoSuchPost()
                : Ok(s, WithoutPost(s, x.PostId), new RoomEffect.DeletePost(x.PostId)),
            Mute x => !f ? FacilitatorOnly("mute someone")
                : s.Phase != RoomPhase.Round || !s.IsOpen ? Invalid("type", "Muting lasts for one round, so it can only happen while a round runs.")
                : !s.Members.Contains(x.UserId) ? NoSuchMember()
                : s.Muted.Contains(x.UserId) ? Invalid("memberId", "They're already muted for this round.")
                : Ok(s, s with { Muted = s.Muted.Add(x.UserId) }),
            Unmute x => !f ? FacilitatorOnly("unmute someone")
                : !s.Muted.Contains(x.UserId) ? Invalid("memberId", "They aren't muted.")
                : Ok(s, s with { Muted = s.Muted.Remove(x.UserId) }),
            Remove x => !f ? FacilitatorOnly("remove someone from the group")
                : s.Status == RoomStatus.Closed ? Closed()
                : !s.Members.Contains(x.UserId) ? NoSuchMember()
                : Ok(s, Drop(s, x.UserId), new RoomEffect.RemoveMember(x.UserId)),
            Take => !f ? FacilitatorOnly("take the piece")
                : s.Phase != RoomPhase.Round || !s.IsOpen ? Invalid("type", "The piece can only be taken while a round runs.")
                : s.Holder == s.FacilitatorId ? Invalid("type", "You already hold the piece.")
                : Ok(s, EndTurn(s) with { ResumeAfter = s.Holder, Holder = s.FacilitatorId }),
            Skip => !f ? FacilitatorOnly("move the piece on")
                : s.Phase != RoomPhase.Round || !s.IsOpen ? Invalid("type", "The piece can only move on while a round runs.")
                : Ok(s, MoveOn(s)),
            Reorder x => !f ? FacilitatorOnly("change the order")
                : s.Status == RoomStatus.Closed ? Closed()
                : CheckOrder(s, x.Order) is { } bad ? bad
                : Ok(s, s with { Order = x.Order.AddRange(s.Order.Where(m => !x.Order.Contains(m))) }),
            Pause => !f ? FacilitatorOnly("pause the room")
                : s.Status != RoomStatus.Open ? Invalid("type", s.Status == RoomStatus.Paused ? "The room is already paused." : "Only an open room can pause.")
                : Ok(s, s with { Status = RoomStatus.Paused }),
            Unpause => !f ? FacilitatorOnly("go on after a pause")
                : s.Status != RoomStatus.Paused ? Invalid("type", "The room isn't paused.")
                : Ok(s, s with { Status = RoomStatus.Open }),
            Seen x => !f ? FacilitatorOnly("mark that as seen")
                : !s.Members.Contains(x.UserId) ? NoSuchMember()
                : Ok(s, s with { Moments = s.Moments.Remove(x.UserId), Attention = s.Attention.Remove(x.UserId) }),
            StartCheckOut => !f ? FacilitatorOnly("begin the check-out")
                : !s.IsOpen ? NotOpen(s)
                : s.Phase == RoomPhase.CheckOut ? Invalid("type", "Check-out has already begun.")
                : Ok(s, EndTurn(s) with { Phase = RoomPhase.CheckOut, Holder = null, ResumeAfter = null, Muted = [] }),
            CheckOut x => !s.IsOpen ? NotOpen(s)
                : s.Phase != RoomPhase.CheckOut ? Invalid("type", "Check-out hasn't begun yet.")
                : x.Suds is < 0 or > 10 ? Invalid("suds", "Please choose a number from 0 to 10.")
                : s.CheckedOut.Contains(actor) ? Invalid("type", "You've already checked out.")
                : Ok(s, s with { CheckedOut = s.CheckedOut.Add(actor) }),
            Close => !f ? FacilitatorOnly("close the room")
                : s.Status == RoomStatus.Closed ? Closed()
                : Ok(s, Closing(s, "facilitator"), new RoomEffect.Closed("facilitator")),
            MemberLeft x => !s.Members.Contains(x.UserId) ? NoSuchMember() : Ok(s, Drop(s, x.UserId)),
            AutoClose x => s.Status != RoomStatus.Waiting ? Invalid("type", "The room has already opened.")
                : Ok(s, Closing(s, x.Reason), new RoomEffect.Closed(x.Reason)),
            _ => Invalid("type", "That isn't something the room knows how to do."),
        };
        // Crisis words in a check-in or check-out word or a reflection ask for the facilitator's attention as a post's do.
        return decision is RoomDecision.Accepted ok && c is CheckIn { Crisis: true } or CheckOut { Crisis: true } or Witness { Crisis: true }
            ? Attend(ok, actor) : decision;
    }

    private static RoomDecision CheckInto(RoomState s, string actor, bool f, CheckIn x)
    {
        if (!s.IsOpen) return NotOpen(s);
        if (x.Suds is < 0 or > 10) return Invalid("suds", "Please choose a number from 0 to 10.");
        if (s.Present.Contains(actor)) return Invalid("type", "You've already checked in.");
        // A latecomer joins the end of a running round's order, so the piece still comes to them.
        var lateForRound = !f && s.Phase == RoomPhase.Round && !s.Order.Contains(actor);
        return Ok(s, s with { Present = s.Present.Add(actor), Order = lateForRound ? s.Order.Add(actor) : s.Order }, new RoomEffect.MarkCame(actor));
    }

    private static RoomDecision StartRoundOf(RoomState s, bool f, StartRound x)
    {
        if (!f) return FacilitatorOnly("start a round");
        if (s.Status != RoomStatus.Open) return s.Status == RoomStatus.Paused ? Invalid("type", "Go on after the pause before starting a round.") : NotOpen(s);
        if (s.Phase is not (RoomPhase.Arrival or RoomPhase.BetweenRounds))
            return Invalid("type", s.Phase == RoomPhase.Round ? "A round is already running." : "Check-out has begun, so no new round can start.");
        if (x.Custom && x.PromptId is not null) return Invalid("promptId", "Please choose a prompt or write your own, not both.");
        var present = s.Present.Where(s.Members.Contains).ToList();
        ImmutableList<string> order;
        if (x.Order is { } given)
        {
            if (CheckOrder(s, given) is { } bad) return bad;
            order = given.AddRange(present.Where(m => !given.Contains(m)));
        }
        else if (x.Random) order = Shuffle(present, s.MeetingId, s.Round + 1);
        else order = [.. present];
        var next = s with { Order = order, Round = s.Round + 1, Muted = [], ResumeAfter = null, PromptId = x.PromptId, CustomPrompt = x.Custom, Phase = RoomPhase.Round };
        var first = NextHolder(next, null);
        if (first is null) return Invalid("order", "No one here can take a turn yet: members need to check in first.");
        return Ok(s, next with { Holder = first });
    }

    private static RoomDecision PostOf(RoomState s, string actor, Post x)
    {
        if (actor != s.Holder) return NotHolder(s);
        if (s.Status == RoomStatus.Paused) return Paused();
        if (s.Muted.Contains(actor)) return NotYours("The facilitator has asked you to hold off sharing for this round.");
        if (s.Posts.Count(p => p.AuthorId == actor && p.Round == s.Round && !s.TurnEnded.Contains(p.Id)) >= MaxPostsPerTurn)
            return NotYours("You've shared five pieces this turn. Pass the piece on when you're ready.");
        if (s.Posts.Exists(p => p.Id == x.PostId)) return Invalid("postId", "That post is already in the room.");
        var next = s with { Posts = s.Posts.Add(new PostRef(x.PostId, actor, s.Round)) };
        var posted = Ok(s, next);
        return x.Crisis ? Attend(posted, actor) : posted;
    }

    /// <summary>The facilitator is told that <paramref name="actor"/> may need a private word (the writer is told so in their own answer).</summary>
    private static RoomDecision.Accepted Attend(RoomDecision.Accepted ok, string actor) =>
        ok with
        {
            Next = ok.Next with { Attention = ok.Next.Attention.Contains(actor) ? ok.Next.Attention : ok.Next.Attention.Add(actor) },
            Effects = ok.Effects.Add(new RoomEffect.SetAttention(actor)),
        };

    private static RoomDecision WitnessOf(RoomState s, string actor, Witness x)
    {
        if (x.Kind != GroupWitness.Reflection && !GroupWitness.IsFixed(x.Kind)) return Invalid("kind", "Please choose thanks, hear, metoo or heart, or write a few words.");
        if (s.Posts.Find(p => p.Id == x.PostId) is not { } post) return NoSuchPost();
        if (s.Status == RoomStatus.Paused) return Paused();
        if (s.Status != RoomStatus.Open) return NotOpen(s);
        if (post.AuthorId == actor) return NotYours("This is your own post; the others can witness it.");
        if (s.Muted.Contains(actor)) return NotYours("The facilitator has asked you to hold off for this round.");
        if (!s.TurnEnded.Contains(post.Id)) return NotYours("You can witness this once {name}'s turn has ended.", post.AuthorId);
        return Ok(s, s);
    }

    private static RoomState StepOutOf(RoomState s, string actor)
    {
        var next = s with { SteppedOut = s.SteppedOut.Add(actor) };
        return s.Holder == actor ? MoveOn(next) : next;
    }

    /// <summary>
    /// The next in the order after <paramref name="after"/> (from the start when null) who is a
    /// member, checked in and not stepped out; null when nobody is left this round.
    /// </summary>
    public static string? NextHolder(RoomState s, string? after)
    {
        var start = after is null ? 0 : s.Order.IndexOf(after) + 1;
        for (var i = start; i < s.Order.Count; i++)
        {
            var m = s.Order[i];
            if (s.Members.Contains(m) && s.Present.Contains(m) && !s.SteppedOut.Contains(m)) return m;
        }
        return null;
    }

    /// <summary>The holder's turn ends and the piece moves on; after the last, the round ends.</summary>
    private static RoomState MoveOn(RoomState s)
    {
        var ended = EndTurn(s);
        var after = s.Holder == s.FacilitatorId ? s.ResumeAfter : s.Holder;
        var next = NextHolder(ended, after);
        return next is null
            ? ended with { Holder = null, ResumeAfter = null, Phase = RoomPhase.BetweenRounds, Muted = [] }
            : ended with { Holder = next, ResumeAfter = null };
    }

    /// <summary>The holder's posts this round become witnessable.</summary>
    private static RoomState EndTurn(RoomState s) => s.Holder is not { } h ? s : s with
    {
        TurnEnded = s.TurnEnded.AddRange(s.Posts.Where(p => p.AuthorId == h && !s.TurnEnded.Contains(p.Id)).Select(p => p.Id)),
    };

    private static RoomState Closing(RoomState s, string reason) => s with
    {
        Status = RoomStatus.Closed,
        Holder = null,
        ResumeAfter = null,
        CloseReason = reason,
        TurnEnded = s.TurnEnded.AddRange(s.Posts.Where(p => !s.TurnEnded.Contains(p.Id)).Select(p => p.Id)),
    };

    /// <summary>Someone is no longer in the group: the piece moves on if they held it, and they vanish from every set.</summary>
    internal static RoomState Drop(RoomState s, string userId)
    {
        var next = s.Holder == userId ? MoveOn(s) : s;
        if (next.ResumeAfter == userId)
        {
            var at = next.Order.IndexOf(userId);
            next = next with { ResumeAfter = at > 0 ? next.Order[at - 1] : null };
        }
        return next with
        {
            Members = next.Members.Remove(userId),
            Present = next.Present.Remove(userId),
            CheckedOut = next.CheckedOut.Remove(userId),
            Muted = next.Muted.Remove(userId),
            SteppedOut = next.SteppedOut.Remove(userId),
            Moments = next.Moments.Remove(userId),
            Attention = next.Attention.Remove(userId),
            Order = next.Order.Remove(userId),
        };
    }

    private static RoomState WithoutPost(RoomState s, Guid postId) =>
        s with { Posts = s.Posts.RemoveAll(p => p.Id == postId), TurnEnded = s.TurnEnded.Remove(postId) };

    private static RoomDecision.Rejected? CheckOrder(RoomState s, ImmutableList<string> order)
    {
        if (order.Any(m => !s.Members.Contains(m))) return Invalid("order", "The order can only hold members of the group.");
        if (order.Distinct().Count() != order.Count) return Invalid("order", "Each person can be in the order once.");
        return null;
    }

    /// <summary>The same meeting and round always give the same order, so it can be shown before the first turn and checked after.</summary>
    private static ImmutableList<string> Shuffle(List<string> people, Guid meetingId, int round)
    {
        var seed = BitConverter.ToInt32(meetingId.ToByteArray(), 0) ^ (round * 7919);
        var random = new Random(seed);
        var list = people.ToArray();
        random.Shuffle(list);
        return [.. list];
    }

    private static ImmutableList<string> Toggle(ImmutableList<string> set, string id) => set.Contains(id) ? set.Remove(id) : set.Add(id);

    private static RoomDecision.Accepted Ok(RoomState before, RoomState next, params RoomEffect[] effects) =>
        new RoomDecision.Accepted(next with { Version = before.Version + 1 }, [.. effects]);

    private static RoomDecision.Rejected Invalid(string field, string message) => new(RoomRefusal.Invalid, field, message);

    private static RoomDecision.Rejected NotYours(string message, string? about = null) => new(RoomRefusal.NotYours, null, message, about);

    private static RoomDecision.Rejected FacilitatorOnly(string what) => NotYours($"Only the facilitator can {what}.");

    private static RoomDecision.Rejected NotHolder(RoomState s) => s.Holder is { } h
        ? NotYours("It's {name}'s turn to share; you can witness when they pass the piece on.", h)
        : NotYours("No one holds the talking piece right now; you can share when it comes to you.");

    private static RoomDecision.Rejected Paused() => NotYours("The room is paused for a moment. You can go on when the facilitator resumes.");

    private static RoomDecision.Rejected Closed() => Invalid("type", "This meeting has closed.");

    private static RoomDecision.Rejected NotOpen(RoomState s) => Invalid("type", s.Status == RoomStatus.Closed ? "This meeting has closed." : "The room isn't open yet.");

    private static RoomDecision.Rejected NoSuchPost() => Invalid("postId", "That post isn't in the room any more.");

    private static RoomDecision.Rejected NoSuchMember() => Invalid("memberId", "That person isn't a member of this group now.");
}
