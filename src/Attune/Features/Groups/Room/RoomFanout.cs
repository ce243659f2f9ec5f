using Attune.Infrastructure.Live;

namespace Attune.Features.Groups.Room;

/// <summary>
/// Who hears of a room change, and how. Every accepted event goes to everyone now in the group (the
/// facilitator and the active members), including events only the facilitator can see the effect
/// of: what a member may not see is kept out by <see cref="RoomView"/>, not by skipping frames, so
/// each person gets every version once and in order. A frame carries ids and the version, never text.
/// </summary>
public static class RoomFanout
{
    public const string EventType = "group.room";

    public static IEnumerable<string> Recipients(RoomState next) => next.Members.Prepend(next.FacilitatorId).Distinct();

    /// <summary>
    /// <c>{ id: meetingId, groupId, meetingId, version }</c>: the meeting's id as <c>id</c>, like every
    /// other event, and the rest for API clients.
    /// </summary>
    public static LiveExtra Extra(Guid groupId, Guid meetingId, long version) =>
        LiveExtra.Of("groupId", groupId).And("meetingId", meetingId).And("version", version);

    /// <summary>Queues the change for everyone in the group on a batch that is notified inside the write's transaction.</summary>
    public static void AddTo(LiveBatch batch, RoomState next, Guid groupId, Guid meetingId)
    {
        var extra = Extra(groupId, meetingId, next.Version);
        foreach (var userId in Recipients(next)) batch.Add(userId, EventType, meetingId, extra);
    }

    /// <summary>Publishes the change to everyone in the group at once (delivery here, and the relay).</summary>
    public static void Publish(EventHub hub, RoomState next, Guid groupId, Guid meetingId)
    {
        var extra = Extra(groupId, meetingId, next.Version);
        foreach (var userId in Recipients(next)) hub.Publish(userId, EventType, meetingId, extra);
    }
}
