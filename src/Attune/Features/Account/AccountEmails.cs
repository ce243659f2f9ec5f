using Attune.Data;
using Attune.Infrastructure;
using Attune.Infrastructure.Email;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Attune.Features.Account;

/// <summary>
/// The account emails, for the pages and for Identity's API endpoints alike. Links point to
/// Attune's own pages (so a person clicking one lands somewhere kind, not on a bare API answer),
/// always built on <c>Attune:PublicBaseUrl</c> (required outside Development), never on what a
/// request says its host is. No email names the person or says anything they wrote. Each email
/// goes through the mail queue, capped per address.
/// </summary>
public sealed class AccountEmails(Mailer mailer, IOptions<AttuneOptions> options, IServer server) : IEmailSender<AttuneUser>
{
    /// <summary>The public address: the setting; in Development without it, the address this server listens on.</summary>
    public string BaseUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)) return options.Value.PublicBaseUrl.TrimEnd('/');
            var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            return string.IsNullOrEmpty(listening) ? "http://localhost:5000" : listening.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal).TrimEnd('/');
        }
    }

    public Task SendConfirmationLinkAsync(AttuneUser user, string email, string confirmationLink)
    {
        // Identity's API builds a link to /api/auth/confirmEmail (HTML-encoded, on the request's host); send people to the page instead, same code.
        confirmationLink = System.Net.WebUtility.HtmlDecode(confirmationLink);
        var query = QueryHelpers.ParseQuery(Uri.TryCreate(confirmationLink, UriKind.Absolute, out var uri) ? uri.Query : "");
        var link = QueryHelpers.AddQueryString($"{BaseUrl}/account/confirm-email", query.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString()));
        return SendConfirmationAsync(email, link, query.ContainsKey("changedEmail"));
    }

    public Task SendConfirmationAsync(string email, string link, bool isChange) =>
        Queue(Confirmation(email, link, isChange));

    public Task SendPasswordResetLinkAsync(AttuneUser user, string email, string resetLink) => Queue(ResetLink(email, resetLink));

    public Task SendPasswordResetCodeAsync(AttuneUser user, string email, string resetCode) => Queue(ResetCode(email, resetCode));

    /// <summary>Sent instead of an error when someone registers with an address that already has an account.</summary>
    public Task SendAlreadyRegisteredAsync(string email) => Queue(AlreadyRegistered(email));

    private Task Queue(OutgoingMail mail) => mailer.SendCappedAsync(mail.To, mail.Subject, mail.Body);

    public static OutgoingMail Confirmation(string email, string link, bool isChange) => new(email,
        isChange ? "Confirm your new email for Attune" : "Confirm your email for Attune",
        $"""
        Hello,

        {(isChange ? "Someone asked to use this address for an Attune account." : "Someone made an Attune account with this address.")} If it was you, open this link to confirm it:

        {link}

        If it wasn't you, you can ignore this email. Nothing will change.

        Attune
        """);

    public static OutgoingMail ResetLink(string email, string resetLink) => new(email,
        "Reset your Attune password",
        $"""
        Hello,

        Someone asked to reset the password for the Attune account with this address. If it was you, open this link to choose a new password:

        {resetLink}

        If it wasn't you, you can ignore this email. Your password stays the same.

        Attune
        """);

    public static OutgoingMail ResetCode(string email, string resetCode) => new(email,
        "Your Attune password reset code",
        $"""
        Hello,

        Someone asked to reset the password for the Attune account with this address. If it was you, use this code in the app:

        {resetCode}

        If it wasn't you, you can ignore this email. Your password stays the same.

        Attune
        """);

    public OutgoingMail AlreadyRegistered(string email) => new(email,
        "About your Attune account",
        $"""
        Hello,

        Someone tried to make a new Attune account with this address, but it already has one. If that was you, you can sign in here:

        {BaseUrl}/account/sign-in

        If you've forgotten your password, you can reset it from the sign-in page. If it wasn't you, nothing has changed and you can ignore this email.

        Attune
        """);

    /// <summary>
    /// Composes an account email the mail queue was asked for by address alone ("forgot password",
    /// "send the confirmation again"), now that it is off the request path: null when the address
    /// has no account in the right state, so nothing is sent and the asker could not tell.
    /// </summary>
    public async Task<OutgoingMail?> ComposeAsync(UserManager<AttuneUser> users, string kind, string email, string? returnUrl = null)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null) return null;
        switch (kind)
        {
            case MailKinds.ResetLink when user.EmailConfirmed:
                var code = EncodeCode(await users.GeneratePasswordResetTokenAsync(user));
                return ResetLink(user.Email!, $"{BaseUrl}/account/reset-password?userId={Uri.EscapeDataString(user.Id)}&code={code}");
            case MailKinds.ResetCode when user.EmailConfirmed:
                return ResetCode(user.Email!, EncodeCode(await users.GeneratePasswordResetTokenAsync(user)));
            case MailKinds.Confirm when !user.EmailConfirmed:
                return Confirmation(user.Email!, await ConfirmationLinkAsync(users, user, returnUrl), isChange: false);
            default:
                return null;
        }
    }

    public async Task<string> ConfirmationLinkAsync(UserManager<AttuneUser> users, AttuneUser user, string? returnUrl = null)
    {
        var code = EncodeCode(await users.GenerateEmailConfirmationTokenAsync(user));
        return $"{BaseUrl}/account/confirm-email?userId={Uri.EscapeDataString(user.Id)}&code={code}"
            + (SignInModel.IsLocal(returnUrl) ? "&returnUrl=" + Uri.EscapeDataString(returnUrl!) : "");
    }

    public static string EncodeCode(string token) => WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(token));

    public static string? DecodeCode(string? code)
    {
        if (string.IsNullOrEmpty(code)) return null;
        try { return System.Text.Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code)); }
        catch (FormatException) { return null; }
    }
}
