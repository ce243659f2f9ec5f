using Attune.Infrastructure.Crypto;
using Attune.Data;
using Attune.Features.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>
/// Sharing with someone in my circle: a supporter set to see what I share reads it, and what they
/// write back is sealed under our pair key.
/// </summary>
internal sealed class CircleShareChannel(AttuneDb db, PairKeys keys, CircleService circle) : IShareChannel
{
    public const string Link = "MemberId";

    public string LinkProperty => Link;

    public string ReceivedNotice => "Someone in your circle shared something with you.";

    public async Task<IReadOnlyList<ShareRecipient>> RecipientsAsync(string ownerId, CancellationToken ct) =>
        (await circle.ListAsync(ownerId, ct)).Supporters.Where(m => m.CanSeeShared).Select(m => new ShareRecipient(m.UserId, m.Name)).ToList();

    public async Task<IShareLink?> FindAsync(string ownerId, string recipient, CancellationToken ct) =>
        await db.Set<CircleMember>().AsNoTracking().FirstOrDefaultAsync(m => m.OwnerId == ownerId && m.SupporterId == recipient, ct) is { } m ? new MemberLink(m, db, keys) : null;

    public async Task<IReadOnlyDictionary<Guid, IShareLink>> LinksAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.Set<CircleMember>().AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => (IShareLink)new MemberLink(m, db, keys), ct);

    private sealed class MemberLink(CircleMember member, AttuneDb db, PairKeys keys) : IShareLink
    {
        public Guid Id => member.Id;

        public string ReaderId => member.SupporterId;

        public string? Closed => member.CanSeeShared ? null : "This person isn't set to see what you share. You can change that on their page in your circle.";

        public Task<string> NameAsync(string viewerId, CancellationToken ct) => CircleService.OtherNameAsync(db, member, viewerId, ct);

        public Task<SharedKey> KeyAsync(string holderId, CancellationToken ct) => keys.OpenAsync(member, holderId, ct);
    }
}

/// <summary>A share through the circle belongs to the membership: ending it deletes the share.</summary>
internal sealed class CircleShareConfig : IEntityTypeConfiguration<Share>
{
    public void Configure(EntityTypeBuilder<Share> b) => Share.ThroughChannel<CircleMember>(b, CircleShareChannel.Link);
}

/// <summary>"I'm here" conversations, on the Shared page.</summary>
internal sealed class CircleConversations(Threads threads) : IConversationList
{
    public async Task<IReadOnlyList<ConversationLink>> ListAsync(string userId, CancellationToken ct) =>
        (await threads.ListAsync(userId, ct)).Select(t => new ConversationLink($"/threads/{t.Id}", t.With, t.LastAt)).ToList();
}
