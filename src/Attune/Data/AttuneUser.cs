using Attune.Infrastructure.Crypto;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Data;

/// <summary>
/// One kind of account for everyone. What a person may see follows from relationships, not roles.
/// The display name is personal text, so it is sealed under the person's own key.
/// </summary>
public sealed class AttuneUser : IdentityUser
{
    public const string Table = "users";

    public Sealed? DisplayNameSealed { get; set; }

    /// <summary>IANA time zone id.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>ISO 3166-1 alpha-2, for crisis lines.</summary>
    public string? Country { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Quick exit also signs this person out (their choice, in their profile).</summary>
    public bool QuickExitSignsOut { get; set; }

    /// <summary>How Attune looks for this person: one of <see cref="Themes"/> ("system" follows the device).</summary>
    public string Theme { get; set; } = Themes.System;

    /// <summary>When the person was welcomed (country and time zone asked, one first step shown); null for a newcomer.</summary>
    public DateTime? WelcomedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<AttuneUser>
    {
        public void Configure(EntityTypeBuilder<AttuneUser> b)
        {
            b.Property(u => u.TimeZone).HasMaxLength(64);
            b.Property(u => u.Country).HasMaxLength(2);
            // Existing accounts follow their device, as everyone did before there was a choice.
            b.Property(u => u.Theme).HasMaxLength(8).HasDefaultValue(Themes.System);
        }
    }
}

/// <summary>The looks a person may choose. A choice of colours, not personal text: stored plain.</summary>
public static class Themes
{
    public const string System = "system", Light = "light", Dark = "dark";

    public static readonly IReadOnlyList<string> All = [System, Light, Dark];

    public static bool IsKnown(string? value) => value is System or Light or Dark;
}

public static class AttuneUserExtensions
{
    public static async Task<string> DisplayNameAsync(this AttuneDb db, AttuneUser user, CancellationToken ct = default) =>
        user.DisplayNameSealed is null ? "" : await db.OpenAsync(user.Id, AttuneUser.Table, user.Id, "displayName", user.DisplayNameSealed, ct);

    /// <summary>The display name, or <paramref name="fallback"/> for someone who hasn't given one.</summary>
    public static async Task<string> DisplayNameOrAsync(this AttuneDb db, AttuneUser user, string fallback, CancellationToken ct = default) =>
        await db.DisplayNameAsync(user, ct) is { Length: > 0 } name ? name : fallback;

    public static async Task SetDisplayNameAsync(this AttuneDb db, AttuneUser user, string? name, CancellationToken ct = default) =>
        user.DisplayNameSealed = string.IsNullOrWhiteSpace(name)
            ? null
            : await db.SealAsync(user.Id, AttuneUser.Table, user.Id, "displayName", name.Trim(), ct);
}
