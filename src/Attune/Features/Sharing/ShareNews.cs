using Attune.Infrastructure.Live;
using Attune.Infrastructure.Push;

namespace Attune.Features.Sharing;

/// <summary>Who is told what about a share, live and by push: that something happened, never what was shared or written.</summary>
public sealed class ShareNews(EventHub hub, Notices notices)
{
    /// <summary>Every reader but the owner (in a group the owner is one of its readers) is told.</summary>
    public void Received(Share share, IShareChannel channel, IReadOnlyCollection<string> readers)
    {
        foreach (var reader in readers.Where(r => r != share.OwnerId))
        {
            hub.Publish(reader, "share.received", share.Id);
            notices.Send(new(reader, channel.ReceivedNotice, $"/shares/{share.Id}", Urgent: false));
        }
    }

    public void Read(Share share) => hub.Publish(share.OwnerId, "share.read", share.Id);

    public void Witnessed(Share share)
    {
        hub.Publish(share.OwnerId, "share.witnessed", share.Id);
        notices.Send(new(share.OwnerId, "Someone read what you shared and wrote back.", $"/shares/{share.Id}", Urgent: false));
    }

    public void Revoked(Share share, IReadOnlyCollection<string> readers)
    {
        foreach (var reader in readers.Where(r => r != share.OwnerId)) hub.Publish(reader, "share.revoked", share.Id);
    }
}
