using System.Net;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Account;

/// <summary>
/// Failed password attempts for one email address from one client. Keyed by a keyed hash of the
/// two together, so the table holds no address, and the same for an address with an account and
/// one without.
/// </summary>
public sealed class SignInThrottle
{
    public string Key { get; set; } = "";
    public int Failures { get; set; }
    public DateTime FirstFailureAt { get; set; }
    public DateTime? PausedUntil { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<SignInThrottle>
    {
        public void Configure(EntityTypeBuilder<SignInThrottle> b)
        {
            b.ToTable("SignInThrottles");
            b.HasKey(t => t.Key);
            b.Property(t => t.Key).HasMaxLength(64);
            b.HasIndex(t => t.FirstFailureAt);
        }
    }
}

public enum PasswordCheck { Right, Wrong, Paused }

/// <summary>
/// Guards every place a password is checked: signing in (pages and API) and the re-checks behind
/// a session (deleting the account, changing email or password, two-step sign-in). Five wrong
/// passwords for an address from one client pause that address for that client for 15 minutes:
/// - for an address with no account exactly as for one with an account (same answer, same work),
///   so the pause says nothing about who uses Attune;
/// - only for that client, so someone else guessing can't keep a person out of their own account
///   (each client is also held to a few attempts a minute by the rate limiter).
/// Client: the address the request came from (forwarded by a trusted proxy), IPv6 by its /64.
/// </summary>
public sealed class SignInGuard(AttuneDb db, AppKeys keys, WriteGate gate, TimeProvider clock, IHttpContextAccessor http)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan PauseFor = TimeSpan.FromMinutes(15);
    private const string Purpose = "sign-in-throttle";

    private string Key(string email) => keys.Hash(Purpose, email.Trim().ToUpperInvariant() + "|" + Client(http.HttpContext));

    internal static string Client(HttpContext? context)
    {
        var address = context?.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }
        return address.ToString();
    }

    public async Task<bool> IsPausedAsync(string email, CancellationToken ct = default)
    {
        var key = Key(email);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Set<SignInThrottle>().AsNoTracking().AnyAsync(t => t.Key == key && t.PausedUntil != null && t.PausedUntil > now, ct);
    }

    /// <summary>Counts a wrong password; answers whether this one paused the address for this client.</summary>
    public async Task<bool> FailedAsync(string email, CancellationToken ct = default)
    {
        var key = Key(email);
        var now = clock.GetUtcNow().UtcDateTime;
        // Old rows go as new ones come, so the table stays the size of the last half hour.
        var old = now - 2 * PauseFor;
        using (await gate.EnterAsync(ct))
            await db.Set<SignInThrottle>().Where(t => t.FirstFailureAt < old && t.Key != key).ExecuteDeleteAsync(ct);
        var row = await db.Set<SignInThrottle>().FirstOrDefaultAsync(t => t.Key == key, ct);
        if (row is null || now - row.FirstFailureAt > PauseFor)
        {
            if (row is null) db.Add(row = new SignInThrottle { Key = key });
            (row.Failures, row.FirstFailureAt, row.PausedUntil) = (0, now, null);
        }
        row.Failures++;
        if (row.Failures >= MaxFailures) row.PausedUntil = now + PauseFor;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two wrong passwords at the same moment both made the row: count this one on the row that won.
            db.ChangeTracker.Clear();
            return await FailedAsync(email, ct);
        }
        return row.PausedUntil is not null;
    }

    public async Task SucceededAsync(string email, CancellationToken ct = default)
    {
        var key = Key(email);
        using var _ = await gate.EnterAsync(ct);
        await db.Set<SignInThrottle>().Where(t => t.Key == key).ExecuteDeleteAsync(ct);
    }

    /// <summary>A password re-check behind a session, counted like a sign-in: refused while paused, and a wrong one counts.</summary>
    public async Task<PasswordCheck> CheckPasswordAsync(UserManager<AttuneUser> users, AttuneUser user, string? password, CancellationToken ct = default)
    {
        var email = user.Email ?? user.Id;
        if (await IsPausedAsync(email, ct))
        {
            // The same hashing work as a real check, so a pause can't be told from the time it takes.
            users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? "", password ?? "");
            return PasswordCheck.Paused;
        }
        if (!string.IsNullOrEmpty(password) && await users.CheckPasswordAsync(user, password))
        {
            await SucceededAsync(email, ct);
            return PasswordCheck.Right;
        }
        return await FailedAsync(email, ct) ? PasswordCheck.Paused : PasswordCheck.Wrong;
    }

    /// <summary>What a person reads when their address is paused for this device.</summary>
    public const string PausedMessage = "After several tries that didn't match, this is paused on this device for 15 minutes. You can wait, or reset your password.";
}
