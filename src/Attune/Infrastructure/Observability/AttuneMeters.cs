using System.Diagnostics.Metrics;

namespace Attune.Infrastructure.Observability;

public enum NoticeChannel { Email, Push, Live }

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
