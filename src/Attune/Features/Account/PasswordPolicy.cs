using Attune.Data;
using System.Reflection;
using Microsoft.AspNetCore.Identity;

namespace Attune.Features.Account;

/// <summary>
/// NIST SP 800-63B: length over composition. At least 12 characters, up to 256, any characters;
/// not a commonly used password (list shipped in Content/common-passwords.txt), nor one built
/// from the person's own email address.
/// </summary>
public sealed class PasswordPolicy : IPasswordValidator<AttuneUser>
{
    public const int MinLength = 12;
    public const int MaxLength = 256;
    public const int HashIterations = 210_000;

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommon);

    public Task<IdentityResult> ValidateAsync(UserManager<AttuneUser> manager, AttuneUser user, string? password)
    {
        password ??= "";
        var errors = new List<IdentityError>();
        if (password.Length > MaxLength)
            errors.Add(new IdentityError { Code = "PasswordTooLong", Description = $"Please use at most {MaxLength} characters." });
        if (IsCommon(password))
            errors.Add(new IdentityError { Code = "PasswordTooCommon", Description = "This password is on a list of passwords many people use, so it is easy to guess. A few unrelated words together make a strong one." });
        if (ContainsEmail(password, user.Email))
            errors.Add(new IdentityError { Code = "PasswordContainsEmail", Description = "Please choose a password that isn't based on your email address." });
        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    internal static bool IsCommon(string password)
    {
        var p = password.Trim().ToLowerInvariant();
        if (p.Length == 0) return true;
        if (p.Distinct().Count() <= 2) return true;
        if (Common.Value.Contains(p)) return true;
        // "password2024!", "monkeymonkey": a common word dressed up is still a common word.
        var core = p.TrimEnd("0123456789!@#$%^&*.?-_ ".ToCharArray());
        if (core.Length >= 4 && Common.Value.Contains(core)) return true;
        for (var period = 1; period <= p.Length / 2; period++)
        {
            if (p.Length % period != 0) continue;
            var unit = p[..period];
            if (string.Concat(Enumerable.Repeat(unit, p.Length / period)) == p && (period <= 3 || Common.Value.Contains(unit))) return true;
        }
        return IsSequence(p);
    }

    private static bool IsSequence(string p)
    {
        const string runs = "0123456789012345678901234567890abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzqwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjkl";
        var reversed = new string(runs.Reverse().ToArray());
        return runs.Contains(p, StringComparison.Ordinal) || reversed.Contains(p, StringComparison.Ordinal);
    }

    private static bool ContainsEmail(string password, string? email)
    {
        if (string.IsNullOrEmpty(email)) return false;
        var p = password.ToLowerInvariant();
        var e = email.ToLowerInvariant();
        var local = e.Split('@')[0];
        return p.Contains(e, StringComparison.Ordinal) || (local.Length >= 4 && p.Contains(local, StringComparison.Ordinal));
    }

    private static HashSet<string> LoadCommon()
    {
        var dir = Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!;
        var path = Path.Combine(dir, "Content", "common-passwords.txt");
        return File.ReadLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Trim().ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
    }
}
