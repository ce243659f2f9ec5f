using System.Security.Cryptography;
using Attune.Infrastructure;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Attune.Features.Account;

/// <summary>
/// Passkeys (WebAuthn) through Identity's own handler. The relying party is Attune's public
/// address: with <c>Attune:PublicBaseUrl</c> set (always, outside Development) the passkey's
/// domain is that address's host and a passkey answers only to that exact origin, whatever Host
/// or X-Forwarded-Host a request carries; in Development without it, the request's own
/// scheme and host (after the trusted proxy's forwarded headers). A passkey is always made
/// discoverable and always asks the device to check it is the person (screen lock), so signing
/// in needs no email and no password, and counts as two steps.
/// </summary>
public static class Passkeys
{
    /// <summary>How long a passkey's name may be, and how many passkeys one person may keep.</summary>
    public const int NameMax = 60, MaxPerPerson = 20;

    /// <summary>A browser's answer is a few KB at most; anything far larger is not one.</summary>
    public const int CredentialMax = 64 * 1024;

    public const string DeviceDidNotMake = "This device didn't make a passkey. You can try again, or keep using your password.";
    public const string DidNotWork = "That passkey didn't work here. You can try again, or sign in with your email and password.";

    public static void Configure(IdentityPasskeyOptions o, AttuneOptions attune)
    {
        var publicOrigin = PublicOrigin(attune.PublicBaseUrl);
        if (publicOrigin is not null) o.ServerDomain = publicOrigin.Host;
        o.UserVerificationRequirement = "required";
        o.ResidentKeyRequirement = "required";
        o.ValidateOrigin = context =>
        {
            if (context.CrossOrigin) return ValueTask.FromResult(false);
            var request = context.HttpContext.Request;
            var expected = publicOrigin is null ? $"{request.Scheme}://{request.Host}" : publicOrigin.GetLeftPart(UriPartial.Authority);
            return ValueTask.FromResult(string.Equals(context.Origin, expected, StringComparison.OrdinalIgnoreCase));
        };
    }

    private static Uri? PublicOrigin(string? baseUrl) =>
        !string.IsNullOrWhiteSpace(baseUrl) && Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) ? url : null;

    /// <summary>The id a page sends back for a passkey: its credential id, base64url.</summary>
    public static string IdOf(byte[] credentialId) => WebEncoders.Base64UrlEncode(credentialId);

    public static byte[]? ParseId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 1400 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return null;
        try
        {
            var bytes = WebEncoders.Base64UrlDecode(id);
            return bytes.Length is > 0 and <= 1023 ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A short, opaque reference for the audit log: no credential id in full, nothing a person wrote.</summary>
    public static string AuditRef(byte[] credentialId) => Convert.ToHexStringLower(SHA256.HashData(credentialId))[..16];

    /// <summary>The name a person gives a passkey: required, short, ordinary text.</summary>
    public static FieldErrors CheckName(string field, string? name)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(name)) return errors.Add(field, "Please give this passkey a name, such as the device it's on.");
        return errors.MaxLength(field, name.Trim(), NameMax).PlainText(field, name);
    }

    /// <summary>A credential from the page's script: present, not huge, and JSON.</summary>
    public static bool LooksLikeCredential(string? json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > CredentialMax) return false;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
