using Attune.Infrastructure.Crypto;

namespace Attune.Features.Sharing;

/// <summary>
/// A kind of relationship a share travels through (a circle membership, a care relationship),
/// registered by the slice that owns it in its own setup. It says who may receive, whether they may
/// read now, and with which key what they write back is sealed. Its column on <see cref="Share"/> is
/// added by the same slice with <see cref="Share.ThroughChannel{TLink}"/>.
/// </summary>
/// <remarks>
/// When someone could be reached through more than one channel, the first registered wins (Circle
/// is set up before Care).
/// </remarks>
public interface IShareChannel
{
    /// <summary>The shadow property on <see cref="Share"/> holding the id of this channel's relationship.</summary>
    string LinkProperty { get; }

    /// <summary>The push notice to whoever receives a share: says nothing about what it is.</summary>
    string ReceivedNotice { get; }

    /// <summary>Whom the owner may choose to share with through this channel, named as the owner knows them.</summary>
    Task<IReadOnlyList<ShareRecipient>> RecipientsAsync(string ownerId, CancellationToken ct);

    /// <summary>The relationship through which <paramref name="ownerId"/> would share with <paramref name="recipient"/>; null when this channel doesn't connect them.</summary>
    Task<IShareLink?> FindAsync(string ownerId, string recipient, CancellationToken ct);

    /// <summary>These relationships, for shares already made; one that has ended (or may no longer carry shares) is missing.</summary>
    Task<IReadOnlyDictionary<Guid, IShareLink>> LinksAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct);

    /// <summary>
    /// The relationships of this channel through which <paramref name="userId"/> reads what others
    /// share, when a share there has many readers (a group) and so can't be found by its
    /// <see cref="Share.WithUserId"/>. A channel with one reader per share has none.
    /// </summary>
    Task<IReadOnlyCollection<Guid>> LinksReadByAsync(string userId, CancellationToken ct) => Task.FromResult<IReadOnlyCollection<Guid>>([]);
}

/// <summary>One relationship a share travels through.</summary>
public interface IShareLink
{
    Guid Id { get; }

    /// <summary>Who reads what is shared through it, as stored on the share: one person, or a name for many (<c>group:{id}</c>).</summary>
    string ReaderId { get; }

    /// <summary>Everyone who may read what is shared through it now; one person unless the channel has many readers.</summary>
    IReadOnlyCollection<string> Readers => [ReaderId];

    /// <summary>Null while the reader may read what is shared; otherwise why not, in words for the owner who tries to share.</summary>
    string? Closed { get; }

    /// <summary>The other person's name, as <paramref name="viewerId"/> (one of the two) knows them.</summary>
    Task<string> NameAsync(string viewerId, CancellationToken ct);

    /// <summary>
    /// <paramref name="personId"/> (a reader or the owner) as <paramref name="viewerId"/> knows them,
    /// for who wrote a reflection and who read. With one reader there is only ever the other person.
    /// </summary>
    Task<string> NameOfAsync(string personId, string viewerId, CancellationToken ct) => NameAsync(viewerId, ct);

    /// <summary>The key of this channel as <paramref name="holderId"/> opens it; witness reflections are sealed under it.</summary>
    Task<SharedKey> KeyAsync(string holderId, CancellationToken ct);
}

/// <summary>Someone the owner may share with, and the name the owner knows them by.</summary>
public sealed record ShareRecipient(string UserId, string Name);
