using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Push;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Circle;

/// <summary>
/// The circle of support: inviting trusted people, accepting, the settings each side owns, and
/// ending it from either side. Everything about someone else's relationship answers as if it
/// did not exist.
/// </summary>
public sealed class CircleService(AttuneDb db, Mailer mailer, AccountEmails links, TimeProvider clock) : Safety.IReachOffers
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);
    public const int MaxName = 80, MaxPendingInvitations = 20, MaxMembers = 30;

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<(InvitationDto? Invitation, string? Token, FieldErrors? Errors)> InviteAsync(string ownerId, InvitationInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var email = input.Email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(email, out var address))
            errors.Add("email", "Please give the email address of the person you'd like to invite.");
        else email = address.Address; // the address alone: a name around it would be shown to them as the sender's words
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", "Please say what you call this person, so you can tell your people apart.");
        errors.MaxLength("name", name, MaxName);
        if (errors.Any) return (null, null, errors);

        var owner = await db.Users.AsNoTracking().FirstAsync(u => u.Id == ownerId, ct);
        if (string.Equals(owner.Email, email, StringComparison.OrdinalIgnoreCase)) errors.Add("email", "That's your own address. Invite someone you trust.");
        var normalized = email!.ToUpperInvariant();
        var existing = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(ct);
        if (existing is not null && await db.Set<CircleMember>().AnyAsync(m => m.OwnerId == ownerId && m.SupporterId == existing, ct))
            errors.Add("email", "This person is already in your circle.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.Set<CircleInvitation>().CountAsync(i => i.OwnerId == ownerId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, ct) >= MaxPendingInvitations)
            errors.Add("email", $"You have {MaxPendingInvitations} invitations waiting. Please cancel one before sending another.");
        if (errors.Any) return (null, null, errors);

        var token = WebPushCrypto.Base64Url(RandomNumberGenerator.GetBytes(32));
        var row = new CircleInvitation
        {
            Id = Infrastructure.SequentialGuid.Next(),
            OwnerId = ownerId,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + InvitationLifetime,
            CanReceiveReaches = input.CanReceiveReaches ?? true,
            CanSeeShared = input.CanSeeShared ?? true,
        };
        row.Email = await db.SealAsync(ownerId, CircleInvitation.Table, row.Id.ToString(), "email", email, ct);
        row.Name = await db.SealAsync(ownerId, CircleInvitation.Table, row.Id.ToString(), "name", name!, ct);
        db.Add(row);
        await db.SaveChangesAsync(ct);
        await mailer.SendCappedAsync(email!, "You've been invited to someone's circle on Attune", $"""
            Hello,

            Someone who trusts you has invited you to be one of their people on Attune, a place for
            steady, paced inner work with people who care. This email doesn't say who, to keep their
            privacy: open the link to see, and decide for yourself.

            {links.BaseUrl}/circle/invitations/{token}

            The link works once and for 7 days. If you weren't expecting this, you can ignore it.

            Attune
            """, ct);
        return (await InvitationAsync(row, ct), token, null);
    }

    private async Task<InvitationDto> InvitationAsync(CircleInvitation i, CancellationToken ct) =>
        new(i.Id, await db.OpenAsync(i.OwnerId, CircleInvitation.Table, i.Id.ToString(), "email", i.Email, ct),
            await db.OpenAsync(i.OwnerId, CircleInvitation.Table, i.Id.ToString(), "name", i.Name, ct),
            i.CanReceiveReaches, i.CanSeeShared, new DateTimeOffset(i.CreatedAt), new DateTimeOffset(i.ExpiresAt));

    public async Task<bool> CancelInvitationAsync(string ownerId, Guid id, CancellationToken ct = default)
    {
        var row = await db.Set<CircleInvitation>().FirstOrDefaultAsync(i => i.Id == id && i.OwnerId == ownerId && i.AcceptedAt == null && i.RevokedAt == null, ct);
        if (row is null) return false;
        row.RevokedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Checks a link for the signed-in person without using it.</summary>
    public async Task<(InvitationPreview Preview, CircleInvitation? Row)> PreviewAsync(string token, string userId, CancellationToken ct = default)
    {
        var hash = Hash(token);
        var row = await db.Set<CircleInvitation>().FirstOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (row is null || row.RevokedAt is not null) return (new InvitationPreview(AcceptOutcome.NotFound, null, false, false, null), null);
        AcceptOutcome status;
        if (row.AcceptedAt is not null) status = AcceptOutcome.Used;
        else if (row.ExpiresAt <= clock.GetUtcNow().UtcDateTime) status = AcceptOutcome.Expired;
        else if (row.OwnerId == userId) status = AcceptOutcome.OwnInvitation;
        else
        {
            var invited = await db.OpenAsync(row.OwnerId, CircleInvitation.Table, row.Id.ToString(), "email", row.Email, ct);
            var mine = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstAsync(ct);
            status = string.Equals(invited, mine, StringComparison.OrdinalIgnoreCase) ? AcceptOutcome.Accepted : AcceptOutcome.WrongAccount;
        }
        // Who invited is shown only to the person the link was meant for.
        string? inviter = null;
        if (status == AcceptOutcome.Accepted)
        {
            var owner = await db.Users.AsNoTracking().FirstAsync(u => u.Id == row.OwnerId, ct);
            inviter = await db.DisplayNameAsync(owner, ct);
            if (string.IsNullOrWhiteSpace(inviter)) inviter = "Someone who trusts you";
        }
        return (new InvitationPreview(status, inviter, row.CanReceiveReaches, row.CanSeeShared, new DateTimeOffset(row.ExpiresAt)), row);
    }

    /// <summary>
    /// A link opened by someone not signed in: whether it can still be used, and what being in the
    /// circle would mean. Never who sent it (that waits for the invited address to sign in).
    /// </summary>
    public async Task<InvitationPreview> PreviewAnonymousAsync(string token, CancellationToken ct = default)
    {
        var hash = Hash(token);
        var row = await db.Set<CircleInvitation>().AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (row is null || row.RevokedAt is not null) return new InvitationPreview(AcceptOutcome.NotFound, null, false, false, null);
        var status = row.AcceptedAt is not null ? AcceptOutcome.Used : row.ExpiresAt <= clock.GetUtcNow().UtcDateTime ? AcceptOutcome.Expired : AcceptOutcome.Accepted;
        return new InvitationPreview(status, null, row.CanReceiveReaches, row.CanSeeShared, new DateTimeOffset(row.ExpiresAt));
    }

    /// <summary>Accepts a link: only once, only before it expires, only by the account it was sent to.</summary>
    public async Task<(AcceptOutcome Outcome, MemberDto? Member)> AcceptAsync(string token, string userId, CancellationToken ct = default)
    {
        var (preview, row) = await PreviewAsync(token, userId, ct);
        if (preview.Status != AcceptOutcome.Accepted) return (preview.Status, null);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.Set<CircleMember>().AnyAsync(m => m.OwnerId == row!.OwnerId && m.SupporterId == userId, ct))
        {
            row!.AcceptedAt = now;
            await db.SaveChangesAsync(ct);
            return (AcceptOutcome.Used, null);
        }
        var name = await db.OpenAsync(row!.OwnerId, CircleInvitation.Table, row.Id.ToString(), "name", row.Name, ct);
        var order = await db.Set<CircleMember>().Where(m => m.OwnerId == row.OwnerId).MaxAsync(m => (int?)m.Order, ct) ?? 0;
        var member = new CircleMember
        {
            Id = Infrastructure.SequentialGuid.Next(),
            OwnerId = row.OwnerId,
            SupporterId = userId,
            CanReceiveReaches = row.CanReceiveReaches,
            CanSeeShared = row.CanSeeShared,
            Order = order + 1,
            CreatedAt = now,
        };
        member.Name = await db.SealAsync(row.OwnerId, CircleMember.Table, member.Id.ToString(), "name", name, ct);
        row.AcceptedAt = now;
        db.Add(member);
        try
        {
            await db.SaveChangesAsync(ct); // the invitation is used in the same transaction, so a link can't be accepted twice
        }
        catch (DbUpdateException)
        {
            return (AcceptOutcome.Used, null);
        }
        return (AcceptOutcome.Accepted, (await ListAsync(userId, ct)).Supporting.First(m => m.MemberId == member.Id));
    }

    /// <summary>What the one-tap reach needs to know: whether anyone could receive it.</summary>
    public async Task<Safety.ReachOffer> OfferAsync(string userId, CancellationToken ct = default) =>
        new(await db.Set<CircleMember>().CountAsync(m => m.OwnerId == userId && m.CanReceiveReaches, ct));

    public async Task<CircleDto> ListAsync(string userId, CancellationToken ct = default)
    {
        var rows = await db.Set<CircleMember>().AsNoTracking().Where(CircleMember.Involving(userId)).OrderBy(m => m.Order).ToListAsync(ct);
        var otherIds = rows.Select(m => m.OwnerId == userId ? m.SupporterId : m.OwnerId).Distinct().ToList();
        var others = await db.Users.AsNoTracking().Where(u => otherIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var myZone = (await db.ProfileAsync(userId, ct))?.TimeZoneId ?? "UTC";
        var supporters = new List<MemberDto>();
        var supporting = new List<MemberDto>();
        foreach (var m in rows)
        {
            var supporter = others.GetValueOrDefault(m.OwnerId == userId ? m.SupporterId : userId);
            var zone = m.OwnerId == userId ? supporter?.TimeZone ?? "UTC" : myZone;
            var availability = new Availability(Time(m.AvailableFrom), Time(m.AvailableTo), zone, m.TalkNowAnytime);
            if (m.OwnerId == userId)
            {
                var name = await db.OpenAsync(userId, CircleMember.Table, m.Id.ToString(), "name", m.Name, ct);
                supporters.Add(new MemberDto(m.Id, "supporter", m.SupporterId, name, m.CanReceiveReaches, m.CanSeeShared, m.Order, availability, new DateTimeOffset(m.CreatedAt)));
            }
            else
            {
                var owner = others[m.OwnerId];
                supporting.Add(new MemberDto(m.Id, "supporting", m.OwnerId, await db.DisplayNameOrAsync(owner, "Someone you support", ct),
                    m.CanReceiveReaches, m.CanSeeShared, m.Order, availability, new DateTimeOffset(m.CreatedAt)));
            }
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = await db.Set<CircleInvitation>().AsNoTracking().Where(i => i.OwnerId == userId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.CreatedAt).ToListAsync(ct);
        var invitations = new List<InvitationDto>();
        foreach (var i in pending) invitations.Add(await InvitationAsync(i, ct));
        return new CircleDto(supporters, supporting, invitations);
    }

    /// <summary>
    /// What <paramref name="viewerId"/> (one of the two) calls the other person in a relationship:
    /// the owner sees the name they gave their supporter; the supporter sees the owner's own display name.
    /// </summary>
    public static async Task<string> OtherNameAsync(AttuneDb db, CircleMember member, string viewerId, CancellationToken ct)
    {
        if (viewerId == member.OwnerId) return await db.OpenAsync(member.OwnerId, CircleMember.Table, member.Id.ToString(), "name", member.Name, ct);
        var owner = await db.Users.AsNoTracking().FirstAsync(u => u.Id == member.OwnerId, ct);
        return await db.DisplayNameOrAsync(owner, "Someone in your circle", ct);
    }

    private static string? Time(int? minutes) => minutes is { } m ? $"{m / 60:00}:{m % 60:00}" : null;

    private static int? Minutes(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t.Hour * 60 + t.Minute;
        errors.Add(field, "Please give a time like 09:00 or 21:30.");
        return null;
    }

    /// <summary>
    /// Changes a relationship. Each side changes only what is theirs: the person their supporter's
    /// name, permissions and order; the supporter their hours and whether "talk now" may reach them
    /// outside them. Someone outside the relationship gets null (404).
    /// </summary>
    public async Task<(MemberDto? Member, FieldErrors? Errors)> UpdateAsync(string userId, Guid memberId, MemberPatch patch, CancellationToken ct = default)
    {
        var m = await db.Set<CircleMember>().Where(CircleMember.Involving(userId)).FirstOrDefaultAsync(x => x.Id == memberId, ct);
        if (m is null) return (null, null);
        var errors = new FieldErrors();
        var isOwner = m.OwnerId == userId;
        void OwnerOnly(string field, object? value) { if (value is not null && !isOwner) errors.Add(field, "Only the person whose circle this is can change this."); }
        void SupporterOnly(string field, object? value) { if (value is not null && isOwner) errors.Add(field, "Only your supporter can set this, in their own time zone."); }
        OwnerOnly("name", patch.Name);
        OwnerOnly("canReceiveReaches", patch.CanReceiveReaches);
        OwnerOnly("canSeeShared", patch.CanSeeShared);
        OwnerOnly("order", patch.Order);
        SupporterOnly("availableFrom", patch.AvailableFrom);
        SupporterOnly("availableTo", patch.AvailableTo);
        SupporterOnly("talkNowAnytime", patch.TalkNowAnytime);
        if (patch.Name is not null && string.IsNullOrWhiteSpace(patch.Name)) errors.Add("name", "Please say what you call this person.");
        errors.MaxLength("name", patch.Name?.Trim(), MaxName).Range("order", patch.Order, 1, MaxMembers);
        var from = Minutes(errors, "availableFrom", patch.AvailableFrom);
        var to = Minutes(errors, "availableTo", patch.AvailableTo);
        if ((patch.AvailableFrom is null) != (patch.AvailableTo is null) || (patch.AvailableFrom is not null && (from is null) != (to is null)))
            errors.Add("availableTo", "Please give both a start and an end time, or clear both.");
        if (errors.Any) return (null, errors);

        if (isOwner)
        {
            if (patch.Name is not null) m.Name = await db.SealAsync(userId, CircleMember.Table, m.Id.ToString(), "name", patch.Name.Trim(), ct);
            m.CanReceiveReaches = patch.CanReceiveReaches ?? m.CanReceiveReaches;
            m.CanSeeShared = patch.CanSeeShared ?? m.CanSeeShared;
            if (patch.Order is { } order && order != m.Order)
            {
                // Move this supporter to the new place; the others keep their relative order.
                var all = await db.Set<CircleMember>().Where(x => x.OwnerId == userId).OrderBy(x => x.Order).ToListAsync(ct);
                all.Remove(m);
                all.Insert(Math.Min(order - 1, all.Count), m);
                for (var i = 0; i < all.Count; i++) all[i].Order = i + 1;
            }
        }
        else
        {
            if (patch.AvailableFrom is not null && patch.AvailableTo is not null) (m.AvailableFrom, m.AvailableTo) = (from, to);
            m.TalkNowAnytime = patch.TalkNowAnytime ?? m.TalkNowAnytime;
        }
        await db.SaveChangesAsync(ct);
        var circle = await ListAsync(userId, ct);
        return (circle.Supporters.Concat(circle.Supporting).First(x => x.MemberId == memberId), null);
    }

    /// <summary>Ends a relationship from either side, at once.</summary>
    public async Task<bool> EndAsync(string userId, Guid memberId, CancellationToken ct = default)
    {
        var row = await db.Set<CircleMember>().Where(CircleMember.Involving(userId)).FirstOrDefaultAsync(x => x.Id == memberId, ct);
        if (row is null) return false;
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
