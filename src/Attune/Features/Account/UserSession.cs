using System.Security.Claims;
using Attune.Data;
using Attune.Infrastructure;
using Attune.Infrastructure.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Attune.Features.Account;

/// <summary>
/// A signed-in browser or app. Every cookie and bearer token carries its session id; the session
/// row is the truth about whether it may still be used, so ending a session (sign-out, a change
/// of password or two-factor, deletion) takes effect at once on this node and within
/// <see cref="Sessions.CacheFor"/> on every other.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    /// <summary>"web" (cookie) or "api" (bearer token).</summary>
    public string Kind { get; set; } = "web";
    /// <summary>A coarse description such as "Firefox on Android": no full user agent, no address.</summary>
    public string Client { get; set; } = "";
    public DateTime? EndedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<UserSession>
    {
        public void Configure(EntityTypeBuilder<UserSession> b)
        {
            b.ToTable("Sessions");
            b.HasKey(s => s.Id);
            b.Property(s => s.Kind).HasMaxLength(8);
            b.Property(s => s.Client).HasMaxLength(64);
            b.HasIndex(s => s.UserId);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public sealed class Sessions(AttuneDb db, IMemoryCache cache, TimeProvider clock, IOptions<AttuneOptions> options, WriteGate gate, EventHub hub) : ISessionCheck
{
    public const string ClaimType = "attune:sid";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(5);

    public static Guid? IdOf(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirstValue(ClaimType), out var id) ? id : null;

    public async Task<UserSession> StartAsync(string userId, string kind, string? userAgent, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var session = new UserSession
        {
            Id = Infrastructure.SequentialGuid.Next(),
            UserId = userId,
            Kind = kind,
            CreatedAt = now,
            LastSeenAt = now,
            Client = DescribeClient(userAgent),
        };
        db.Set<UserSession>().Add(session);
        await db.SaveChangesAsync(ct);
        return session;
    }

    /// <summary>Whether the session may still be used; touches <c>LastSeenAt</c> now and then.</summary>
    public async Task<bool> IsActiveAsync(Guid sessionId, string userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var state = await cache.GetOrCreateAsync(CacheKey(sessionId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            entry.Size = 1;
            return await db.Set<UserSession>().AsNoTracking().Where(s => s.Id == sessionId)
                .Select(s => new State(s.UserId, s.CreatedAt, s.LastSeenAt, s.EndedAt)).FirstOrDefaultAsync(ct);
        });
        if (state is null || state.UserId != userId || state.EndedAt is not null) return false;
        if (now - state.CreatedAt > options.Value.SessionAbsoluteTimeout) return false;
        if (now - state.LastSeenAt > TouchEvery)
        {
            using (await gate.EnterAsync(ct))
                await db.Set<UserSession>().Where(s => s.Id == sessionId).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), ct);
            cache.Remove(CacheKey(sessionId));
        }
        return true;
    }

    public async Task<List<UserSession>> ListAsync(string userId, CancellationToken ct = default) =>
        await db.Set<UserSession>().AsNoTracking().Where(s => s.UserId == userId && s.EndedAt == null)
            .OrderByDescending(s => s.LastSeenAt).ToListAsync(ct);

    /// <summary>Ends one of the person's sessions. Someone else's session id ends nothing.</summary>
    public async Task<bool> EndAsync(string userId, Guid sessionId, CancellationToken ct = default)
    {
        var session = await db.Set<UserSession>().FirstOrDefaultAsync(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null, ct);
        if (session is null) return false;
        session.EndedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        Forget(sessionId);
        return true;
    }

    /// <summary>Marks every other live session of the person ended, in the caller's unit of work.</summary>
    public async Task<List<Guid>> MarkOthersEndedAsync(string userId, Guid? keep, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var others = await db.Set<UserSession>().Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keep).ToListAsync(ct);
        foreach (var s in others) s.EndedAt = now;
        return others.Select(s => s.Id).ToList();
    }

    /// <summary>A session has ended: this node stops accepting it now, and its live streams close here and on every node.</summary>
    public void Forget(Guid sessionId)
    {
        cache.Remove(CacheKey(sessionId));
        hub.EndSession(sessionId);
    }

    internal static string CacheKey(Guid id) => EventHub.SessionCacheKey(id);

    Guid? ISessionCheck.SessionOf(ClaimsPrincipal user) => IdOf(user);

    internal static string DescribeClient(string? ua)
    {
        if (string.IsNullOrEmpty(ua)) return "Unknown device";
        string browser = ua.Contains("Edg/", StringComparison.Ordinal) ? "Edge"
            : ua.Contains("Firefox/", StringComparison.Ordinal) ? "Firefox"
            : ua.Contains("Chrome/", StringComparison.Ordinal) || ua.Contains("Chromium", StringComparison.Ordinal) ? "Chrome"
            : ua.Contains("Safari/", StringComparison.Ordinal) ? "Safari"
            : "An app";
        string os = ua.Contains("Android", StringComparison.Ordinal) ? "Android"
            : ua.Contains("iPhone", StringComparison.Ordinal) || ua.Contains("iPad", StringComparison.Ordinal) ? "iOS"
            : ua.Contains("Windows", StringComparison.Ordinal) ? "Windows"
            : ua.Contains("Mac OS", StringComparison.Ordinal) ? "macOS"
            : ua.Contains("Linux", StringComparison.Ordinal) ? "Linux"
            : "another system";
        return $"{browser} on {os}";
    }

    private sealed record State(string UserId, DateTime CreatedAt, DateTime LastSeenAt, DateTime? EndedAt);
}
