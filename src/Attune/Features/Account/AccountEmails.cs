using System.Text.Encodings.Web;
using Attune.Infrastructure;
using Attune.Infrastructure.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Attune.Features.Account;

/// <summary>
/// The account emails, for the pages and for Identity's API endpoints alike. Links point to
/// Attune's own pages (so a person clicking one lands somewhere kind, not on a bare API answer),
/// built on <c>Attune:PublicBaseUrl</c> when set. No email names the person or says anything
/// they wrote.
/// </summary>
public sealed class AccountEmails(Mailer mailer, IOptions<AttuneOptions> options, IHttpContextAccessor http) : IEmailSender<AttuneUser>
{
    public string BaseUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)) return options.Value.PublicBaseUrl.TrimEnd('/');
            var request = http.HttpContext?.Request;
            return request is null ? "http://localhost:5000" : $"{request.Scheme}://{request.Host}{request.PathBase}";
        }
    }

    public Task SendConfirmationLinkAsync(AttuneUser user, string email, string confirmationLink)
    {
        // Identity's API builds a link to /api/auth/confirmEmail (HTML-encoded); send people to the page instead, same code.
        confirmationLink = System.Net.WebUtility.HtmlDecode(confirmationLink);
        var query = QueryHelpers.ParseQuery(new Uri(confirmationLink, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(confirmationLink).Query : "");
        var link = query.Count > 0
            ? QueryHelpers.AddQueryString($"{BaseUrl}/account/confirm-email", query.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString()))
            : confirmationLink;
        return SendConfirmationAsync(email, link, query.ContainsKey("changedEmail"));
    }

    public Task SendConfirmationAsync(string email, string link, bool isChange) => mailer.SendAsync(email,
        isChange ? "Confirm your new email for Attune" : "Confirm your email for Attune",
        $"""
        Hello,

        {(isChange ? "Someone asked to use this address for an Attune account." : "Someone made an Attune account with this address.")} If it was you, open this link to confirm it:

        {link}

        If it wasn't you, you can ignore this email. Nothing will change.

        Attune
        """);

    public Task SendPasswordResetLinkAsync(AttuneUser user, string email, string resetLink) => mailer.SendAsync(email,
        "Reset your Attune password",
        $"""
        Hello,

        Someone asked to reset the password for the Attune account with this address. If it was you, open this link to choose a new password:

        {resetLink}

        If it wasn't you, you can ignore this email. Your password stays the same.

        Attune
        """);

    public Task SendPasswordResetCodeAsync(AttuneUser user, string email, string resetCode) => mailer.SendAsync(email,
        "Your Attune password reset code",
        $"""
        Hello,

        Someone asked to reset the password for the Attune account with this address. If it was you, use this code in the app:

        {resetCode}

        If it wasn't you, you can ignore this email. Your password stays the same.

        Attune
        """);

    /// <summary>Sent instead of an error when someone registers with an address that already has an account.</summary>
    public Task SendAlreadyRegisteredAsync(string email) => mailer.SendAsync(email,
        "About your Attune account",
        $"""
        Hello,

        Someone tried to make a new Attune account with this address, but it already has one. If that was you, you can sign in here:

        {BaseUrl}/account/sign-in

        If you've forgotten your password, you can reset it from the sign-in page. If it wasn't you, nothing has changed and you can ignore this email.

        Attune
        """);

    public static string EncodeCode(string token) => WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(token));

    public static string? DecodeCode(string? code)
    {
        if (string.IsNullOrEmpty(code)) return null;
        try { return System.Text.Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code)); }
        catch (FormatException) { return null; }
    }

}
