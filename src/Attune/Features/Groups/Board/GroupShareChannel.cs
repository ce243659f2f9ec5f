using Attune.Data;
using Attune.Features.Sharing;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Board;

/// <summary>
/// Sharing one item with my group: everyone in it now reads it (the facilitator and the active
/// members), each read is logged in my access log, and what they write back is sealed under the
/// group's key at its newest epoch, so someone who joins later doesn't read earlier reflections.
/// </summary>
public sealed class GroupShareChannel(AttuneDb db, SharedKeys keys) : IShareChannel
{
    /// <summary>How a group is named as a share's reader (<see cref="Share.WithUserId"/>).</summary>
    public const string ReaderPrefix = "group:";

    public string LinkProperty => GroupShareConfig.Link;

    public string ReceivedNotice => "Someone in your group shared something with the group.";

    public static string ReaderOf(Guid groupId) => ReaderPrefix + groupId.ToString("D");

    /// <summary>The group a share's reader names, or null when the reader is one person.</summary>
    public static Guid? GroupOf(string readerId) =>
        readerId.StartsWith(ReaderPrefix, StringComparison.Ordinal) && Guid.TryParse(readerId.AsSpan(ReaderPrefix.Length), out var id) ? id : null;

    public async Task<IReadOnlyList<ShareRecipient>> RecipientsAsync(string ownerId, CancellationToken ct) =>
        (await db.InsideOf(ownerId).AsNoTracking().Where(g => g.ClosedAt == null).OrderBy(g => g.CreatedAt).Select(g => new { g.Id, g.Title }).ToListAsync(ct))
            .Select(g => new ShareRecipient(ReaderOf(g.Id), $"Your group: {g.Title}")).ToList();

    public async Task<IShareLink?> FindAsync(string ownerId, string recipient, CancellationToken ct)
    {
        if (GroupOf(recipient) is not { } groupId) return null;
        if (!await db.InsideOf(ownerId).AnyAsync(g => g.Id == groupId, ct)) return null;
        return (await LinksAsync([groupId], ct)).GetValueOrDefault(groupId);
    }

    public async Task<IReadOnlyDictionary<Guid, IShareLink>> LinksAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var groups = await db.Set<Group>().AsNoTracking().Where(g => ids.Contains(g.Id)).ToListAsync(ct);
        var members = (await db.Set<GroupMember>().AsNoTracking().Where(m => ids.Contains(m.GroupId) && m.Status == "active").ToListAsync(ct)).ToLookup(m => m.GroupId);
        return groups.ToDictionary(g => g.Id, g => (IShareLink)new GroupLink(g, [.. members[g.Id]], keys));
    }

    public async Task<IReadOnlyCollection<Guid>> LinksReadByAsync(string userId, CancellationToken ct) =>
        await db.InsideOf(userId).Select(g => g.Id).ToListAsync(ct);

    private sealed class GroupLink(Group group, IReadOnlyList<GroupMember> members, SharedKeys keys) : IShareLink
    {
        private readonly Dictionary<string, Inside> _inside = [];

        public Guid Id => group.Id;

        public string ReaderId => ReaderOf(group.Id);

        public IReadOnlyCollection<string> Readers => [group.FacilitatorId, .. members.Select(m => m.UserId)];

        public string? Closed => group.ClosedAt is null ? null : "This group has ended, so nothing more can be shared with it.";

        public Task<string> NameAsync(string viewerId, CancellationToken ct) => Task.FromResult($"{group.Title} (your group)");

        public async Task<string> NameOfAsync(string personId, string viewerId, CancellationToken ct) =>
            await InsideAsync(viewerId, ct) is { } inside ? inside.NameOf(personId) : "Someone in the group";

        public async Task<SharedKey> KeyAsync(string holderId, CancellationToken ct) =>
            (await InsideAsync(holderId, ct))?.Key ?? throw new InvalidOperationException("Only someone in the group holds its key.");

        private async Task<Inside?> InsideAsync(string viewerId, CancellationToken ct)
        {
            if (_inside.TryGetValue(viewerId, out var known)) return known;
            if (!Readers.Contains(viewerId) || await keys.OpenAsync(group.Id, viewerId, ct) is not { } key) return null;
            return _inside[viewerId] = new Inside(group, members, key, viewerId);
        }
    }
}
