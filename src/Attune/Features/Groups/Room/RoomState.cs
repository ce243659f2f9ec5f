using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Attune.Features.Groups.Room;

public enum RoomStatus { Waiting, Open, Paused, Closed }

public enum RoomPhase { Arrival, Round, BetweenRounds, CheckOut }

/// <summary>A post as the room's state knows it: who wrote it and in which round, never its words.</summary>
public sealed record PostRef(Guid Id, string AuthorId, int Round);

/// <summary>
/// Everything the room engine decides on, and nothing it doesn't: user ids, flags and numbers, no
/// text. Saved as JSON in <c>GroupRoom.State</c>; <see cref="Version"/> goes up by exactly one with
/// every accepted event. People are user ids here; the store turns them into member ids and names.
/// <see cref="Moments"/> and <see cref="Attention"/> are the facilitator's alone (<see cref="RoomView"/>).
/// </summary>
public sealed record RoomState
{
    public long Version { get; init; }
    public RoomStatus Status { get; init; }
    public RoomPhase Phase { get; init; }
    public required string FacilitatorId { get; init; }

    /// <summary>Seeds the random order, so a round's shuffle can be made again from the meeting and the round.</summary>
    public Guid MeetingId { get; init; }

    /// <summary>The group's active members, facilitator not included.</summary>
    public ImmutableList<string> Members { get; init; } = [];

    /// <summary>Checked in, in the order they arrived (the facilitator too, if they checked in).</summary>
    public ImmutableList<string> Present { get; init; } = [];

    public ImmutableList<string> CheckedOut { get; init; } = [];
    public ImmutableList<string> Muted { get; init; } = [];
    public ImmutableList<string> SteppedOut { get; init; } = [];
    public ImmutableList<string> Moments { get; init; } = [];
    public ImmutableList<string> Attention { get; init; } = [];

    /// <summary>The round's order of members; shown before the first turn.</summary>
    public ImmutableList<string> Order { get; init; } = [];

    /// <summary>Who has the talking piece: a member, the facilitator after <c>take</c>, or null outside a round.</summary>
    public string? Holder { get; init; }

    /// <summary>After the facilitator takes the piece, their <c>done</c> goes on from the member after this one.</summary>
    public string? ResumeAfter { get; init; }

    public int Round { get; init; }
    public string? PromptId { get; init; }

    /// <summary>The round's prompt is the facilitator's own words (sealed on the room row, not here).</summary>
    public bool CustomPrompt { get; init; }

    public ImmutableList<PostRef> Posts { get; init; } = [];

    /// <summary>Posts whose author's turn has ended; only these can be witnessed.</summary>
    public ImmutableList<Guid> TurnEnded { get; init; } = [];

    public string? CloseReason { get; init; }

    public bool IsOpen => Status is RoomStatus.Open or RoomStatus.Paused;

    public bool IsIn(string userId) => userId == FacilitatorId || Members.Contains(userId);

    public static RoomState Waiting(string facilitatorId, Guid meetingId, IEnumerable<string> members) =>
        new() { FacilitatorId = facilitatorId, MeetingId = meetingId, Members = [.. members.Distinct().Where(m => m != facilitatorId)] };

    /// <summary>
    /// Brings the state in line with the group as it is now: people who are no longer active members
    /// (left, removed, account deleted) vanish from every set, new members join, and posts whose rows
    /// are gone (withdrawn with their author, or purged) vanish. Raises no version: nothing happened in the room.
    /// </summary>
    public RoomState Reconcile(IReadOnlyCollection<string> activeMembers, IReadOnlyCollection<Guid> postIds)
    {
        var active = activeMembers.Where(m => m != FacilitatorId).ToHashSet();
        var posts = postIds.ToHashSet();
        var gone = Members.Where(m => !active.Contains(m)).ToHashSet();
        var joined = active.Where(m => !Members.Contains(m)).Order(StringComparer.Ordinal).ToList();
        var stalePosts = Posts.Any(p => !posts.Contains(p.Id));
        if (gone.Count == 0 && joined.Count == 0 && !stalePosts) return this;
        var next = this;
        foreach (var m in gone) next = RoomMachine.Drop(next, m);
        return next with
        {
            Members = next.Members.AddRange(joined),
            Posts = next.Posts.RemoveAll(p => !posts.Contains(p.Id)),
            TurnEnded = next.TurnEnded.RemoveAll(id => !posts.Contains(id)),
        };
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RoomState FromJson(string json) => JsonSerializer.Deserialize<RoomState>(json, Json)
        ?? throw new JsonException("A room's state was empty.");
}
