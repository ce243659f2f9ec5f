using System.Diagnostics.Metrics;

namespace Attune.Infrastructure.Observability;

public enum NoticeChannel { Email, Push, Live }

/// <summary>Why a reach moved on: nobody answered in time (the escalation job), or everyone asked so far said they can't.</summary>
public enum EscalationCause { Timeout, Declined }

/// <summary>
/// Attune's own metrics (meter <c>Attune</c>), for the operator: counts and sizes, never who or what.
/// A tag here is a fixed word (a channel), never an id, an address or anything a person wrote.
/// Adding an instrument is one line: <c>factory.Create(Name)</c> hands back the same meter each time.
/// </summary>
public sealed class AttuneMeters(IMeterFactory factory)
{
    public const string Name = "Attune";

    public Counter<long> NoticesSent { get; } = factory.Create(Name).CreateCounter<long>(
        "attune.notices.sent", "{notice}", "Notices handed to their channel: an email to the mail server or pickup folder, a push to a push service, an event to an open live stream");

    public Counter<long> NoticesFailed { get; } = factory.Create(Name).CreateCounter<long>(
        "attune.notices.failed", "{notice}", "Notices their channel refused or could not take");

    public UpDownCounter<long> LiveStreamsOpen { get; } = factory.Create(Name).CreateUpDownCounter<long>(
        "attune.live.streams.open", "{stream}", "Live event streams (Server-Sent Events) open on this node");

    // Seconds, from half a minute to a day: a reach is answered in minutes when it goes well, in hours when it doesn't.
    private static readonly InstrumentAdvice<double> ReachBuckets = new() { HistogramBucketBoundaries = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400] };

    public Histogram<double> ReachTimeToFirstSeen { get; } = factory.Create(Name).CreateHistogram(
        "attune.reach.time_to_first_seen", "s", "From a reach being sent to the first of its recipients opening it (or answering unopened), once per reach, by urgency",
        tags: null, advice: ReachBuckets);

    public Histogram<double> ReachTimeToFirstAnswer { get; } = factory.Create(Name).CreateHistogram(
        "attune.reach.time_to_first_answer", "s", "From a reach being sent to its first answer of any kind, once per reach, by urgency and that answer (here, soon, cant)",
        tags: null, advice: ReachBuckets);

    public Counter<long> ReachEscalations { get; } = factory.Create(Name).CreateCounter<long>(
        "attune.reach.escalations", "{escalation}", "Reaches moved on because nobody answered in time (cause timeout) or everyone asked said they can't (cause declined): to the next person (outcome next), or with nobody left to ask (outcome exhausted)");

    /// <summary>The first time anyone it went to saw a reach, <paramref name="after"/> its sending (both stored times).</summary>
    public void ReachFirstSeen(string urgency, TimeSpan after) =>
        ReachTimeToFirstSeen.Record(Math.Max(0, after.TotalSeconds), UrgencyTag(urgency));

    /// <summary>The first answer to a reach, <paramref name="after"/> its sending (both stored times).</summary>
    public void ReachFirstAnswer(string urgency, string answer, TimeSpan after) =>
        ReachTimeToFirstAnswer.Record(Math.Max(0, after.TotalSeconds), UrgencyTag(urgency), new("answer", answer switch
        {
            "here" => "here",
            "soon" => "soon",
            "cant" => "cant",
            _ => "other",
        }));

    public void ReachEscalated(EscalationCause cause, bool nobodyLeft) =>
        ReachEscalations.Add(1, new("cause", cause == EscalationCause.Timeout ? "timeout" : "declined"), new("outcome", nobodyLeft ? "exhausted" : "next"));

    // Each tag value is one of these literals, whatever the stored text says, so nothing else can become a tag.
    private static KeyValuePair<string, object?> UrgencyTag(string urgency) => new("urgency", urgency switch
    {
        "now" => "now",
        "today" => "today",
        "whenever" => "whenever",
        _ => "other",
    });

    public void NoticeSent(NoticeChannel channel) => NoticesSent.Add(1, ChannelTag(channel));

    public void NoticeFailed(NoticeChannel channel) => NoticesFailed.Add(1, ChannelTag(channel));

    public void Notice(NoticeChannel channel, bool sent) => (sent ? NoticesSent : NoticesFailed).Add(1, ChannelTag(channel));

    /// <summary>A value read when metrics are collected (a scrape or an export), not kept up to date in between.</summary>
    public ObservableGauge<T> Gauge<T>(string name, string unit, string description, Func<IEnumerable<Measurement<T>>> read) where T : struct =>
        factory.Create(Name).CreateObservableGauge(name, read, unit, description);

    private static KeyValuePair<string, object?> ChannelTag(NoticeChannel channel) => new("channel", channel switch
    {
        NoticeChannel.Email => "email",
        NoticeChannel.Push => "push",
        _ => "live",
    });
}
