namespace Attune.Features.Groups;

/// <summary>Groups' jobs run in a lane of their own, so a busy group never holds up a reach or an email.</summary>
public static class GroupJobs
{
    public const string Lane = "groups";
    /// <summary>Subject: a meeting. Due 10 minutes after it starts: closes a room whose facilitator never came.</summary>
    public const string NoShow = "groups.noshow";
    /// <summary>Subject: a meeting. Queued when its room closes: retention, attendance, missed notices, measures due.</summary>
    public const string Closed = "groups.closed";
    /// <summary>Subject: a group. Daily: board posts older than 30 days, and the group's rows 14 days after it closed.</summary>
    public const string Retention = "groups.retention";
}
