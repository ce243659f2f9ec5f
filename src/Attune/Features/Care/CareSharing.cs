using Attune.Infrastructure.Crypto;
using Attune.Data;
using Attune.Features.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Care;

/// <summary>
/// Sharing with my therapist while our care is active; what they write back is sealed under the
/// care relationship's pair key.
/// </summary>
internal sealed class CareShareChannel(AttuneDb db, CareService care) : IShareChannel
{
    public const string Link = "CareId";

    public string LinkProperty => Link;

    public string ReceivedNotice => "Someone you work with shared something with you.";

    public async Task<IReadOnlyList<ShareRecipient>> RecipientsAsync(string ownerId, CancellationToken ct) =>
        (await care.ListAsync(ownerId, ct)).Where(c => c.Role == "person" && c.Status == CareStatus.Active)
            .Select(c => new ShareRecipient(c.OtherUserId, $"{c.OtherName} (your therapist)")).ToList();

    public async Task<IShareLink?> FindAsync(string ownerId, string recipient, CancellationToken ct) =>
        await db.Set<CareRelationship>().AsNoTracking().FirstOrDefaultAsync(c => c.PersonId == ownerId && c.TherapistId == recipient && c.Status == CareStatus.Active, ct) is { } c
            ? new CareLink(c, care) : null;

    public async Task<IReadOnlyDictionary<Guid, IShareLink>> LinksAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        await db.Set<CareRelationship>().AsNoTracking().Where(c => ids.Contains(c.Id) && c.Status == CareStatus.Active)
            .ToDictionaryAsync(c => c.Id, c => (IShareLink)new CareLink(c, care), ct);

    private sealed class CareLink(CareRelationship relationship, CareService care) : IShareLink
    {
        public Guid Id => relationship.Id;

        public string ReaderId => relationship.TherapistId;

        public string? Closed => null;

        public async Task<string> NameAsync(string viewerId, CancellationToken ct) => (await care.DtoAsync(relationship, viewerId, ct)).OtherName;

        public Task<SharedKey> KeyAsync(string holderId, CancellationToken ct) => care.SharedKeyAsync(relationship, holderId, ct);
    }
}

/// <summary>A share with a therapist belongs to the care relationship: deleting it deletes the share.</summary>
internal sealed class CareShareConfig : IEntityTypeConfiguration<Share>
{
    public void Configure(EntityTypeBuilder<Share> b) => Share.ThroughChannel<CareRelationship>(b, CareShareChannel.Link);
}
