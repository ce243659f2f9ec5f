using System.Security.Cryptography;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Board;

/// <summary>
/// The people inside a group (its facilitator and its active members, who hold its key), as one of
/// them sees them: by the name the group sees, never an account's name or email. Anyone else gets
/// null, which every route answers with 404.
/// </summary>
public sealed class Insiders(AttuneDb db, SharedKeys keys)
{
    /// <summary>The field a member's group name is sealed under on their <see cref="GroupMember"/> row.</summary>
    public const string NameField = "groupName";

    public async Task<Inside?> OfAsync(string userId, Guid groupId, CancellationToken ct)
    {
        var group = await db.InsideOf(userId).AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, ct);
        if (group is null || await keys.OpenAsync(groupId, userId, ct) is not { } key) return null;
        var members = await db.Set<GroupMember>().AsNoTracking().Where(GroupMember.ActiveIn(groupId)).ToListAsync(ct);
        return new Inside(group, members, key, userId);
    }
}

/// <summary>One person inside a group: the group, who else is in it, and the group's key as they hold it.</summary>
public sealed class Inside(Group group, IReadOnlyList<GroupMember> members, SharedKey key, string me)
{
    private readonly Dictionary<string, string> _names = [];

    public Group Group => group;
    public SharedKey Key => key;
    public string Me => me;
    public bool IsFacilitator => group.FacilitatorId == me;
    public bool Closed => group.ClosedAt is not null;
    public IReadOnlyList<GroupMember> Members => members;

    /// <summary>Everyone who holds the key now: the facilitator and the active members.</summary>
    public IReadOnlyList<string> Holders => [group.FacilitatorId, .. members.Select(m => m.UserId)];

    public GroupMember? Member(string userId) => members.FirstOrDefault(m => m.UserId == userId);

    /// <summary>Someone as the group knows them; a name sealed under an epoch the viewer doesn't hold reads as "Someone in the group".</summary>
    public string NameOf(string userId)
    {
        if (userId == group.FacilitatorId) return group.FacilitatorName;
        if (_names.TryGetValue(userId, out var known)) return known;
        string name;
        if (Member(userId) is not { GroupName: { } sealedName } m) name = "Someone who has left the group";
        else
            try { name = key.Open(GroupMember.Table, m.Id.ToString(), Insiders.NameField, sealedName); }
            catch (CryptographicException) { name = "Someone in the group"; }
        return _names[userId] = name;
    }

    /// <summary>Opens text sealed under the group's key; null when it was written under an epoch the viewer doesn't hold (before they joined).</summary>
    public string? TryOpen(string table, Guid rowId, string field, Sealed value)
    {
        try { return key.Open(table, rowId.ToString(), field, value); }
        catch (CryptographicException) { return null; }
    }
}
