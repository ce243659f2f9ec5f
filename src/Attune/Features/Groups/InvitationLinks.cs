using System.Security.Cryptography;
using System.Text;
using Attune.Data;
using Attune.Features.Account;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups;

/// <summary>
/// A group's invitation link: a 256-bit token of which only the SHA-256 is stored, so the database
/// alone can't make a working link. A new link replaces the old one, which stops working at once.
/// </summary>
public sealed class InvitationLinks(AttuneDb db, AccountEmails links)
{
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A new link for the facilitator's group. Null: not their group, or it has ended (404).</summary>
    public async Task<InvitationLinkDto?> NewAsync(string userId, Guid groupId, CancellationToken ct = default)
    {
        var g = await db.Set<Group>().FirstOrDefaultAsync(x => x.Id == groupId && x.FacilitatorId == userId && x.ClosedAt == null, ct);
        if (g is null) return null;
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        g.InviteTokenHash = Hash(token);
        await db.SaveChangesAsync(ct);
        return new InvitationLinkDto($"{links.BaseUrl}/groups/join/{token}");
    }

    /// <summary>The open group this link is for, or null (an unknown or replaced link answers 404).</summary>
    public async Task<Group?> FindAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return null;
        var hash = Hash(token.Trim());
        return await db.Set<Group>().AsNoTracking().FirstOrDefaultAsync(g => g.InviteTokenHash == hash && g.ClosedAt == null, ct);
    }
}
