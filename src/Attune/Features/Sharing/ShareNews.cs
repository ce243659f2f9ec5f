using Attune.Infrastructure.Live;
using Attune.Infrastructure.Push;

namespace Attune.Features.Sharing;

/// <summary>Who is told what about a share, live and by push: that something happened, never what was shared or written.</summary>
public sealed class ShareNews(EventHub hub, Notices notices)
{
    public void Received(Share share, IShareChannel channel)
    {
        hub.Publish(share.WithUserId, "share.received", share.Id);
        notices.Send(new(share.WithUserId, channel.ReceivedNotice, $"/shares/{share.Id}", Urgent: false));
    }

    public void Read(Share share) => hub.Publish(share.OwnerId, "share.read", share.Id);

    public void Witnessed(Share share)
    {
        hub.Publish(share.OwnerId, "share.witnessed", share.Id);
        notices.Send(new(share.OwnerId, "Someone read what you shared and wrote back.", $"/shares/{share.Id}", Urgent: false));
    }

    public void Revoked(Share share) => hub.Publish(share.WithUserId, "share.revoked", share.Id);
}
