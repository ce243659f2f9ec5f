using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Attune.Infrastructure.Email;

public sealed class EmailOptions
{
    public const string Section = "Email";
    public string? PickupDirectory { get; set; }
    public SmtpOptions Smtp { get; set; } = new();

    public sealed class SmtpOptions
    {
        public string? Host { get; set; }
        public int Port { get; set; } = 587;
        public string? User { get; set; }
        public string? Password { get; set; }
        public string From { get; set; } = "Attune <no-reply@attune.local>";
        public bool EnableSsl { get; set; } = true;
        /// <summary>
        /// How the connection is secured: "Auto" (implicit TLS on port 465, otherwise STARTTLS, which
        /// must succeed), "StartTls", "Tls" (implicit TLS, usually port 465) or "None" (a local relay
        /// only). With <see cref="EnableSsl"/> false, "Auto" means "None".
        /// </summary>
        public string Security { get; set; } = "Auto";
        /// <summary>How long one message may take to hand over, so a stuck server holds up the mail queue only this long.</summary>
        public int TimeoutSeconds { get; set; } = 15;

        internal SecureSocketOptions SocketOptions() => Security.ToLowerInvariant() switch
        {
            "starttls" => SecureSocketOptions.StartTls,
            "tls" or "sslonconnect" => SecureSocketOptions.SslOnConnect,
            "none" => SecureSocketOptions.None,
            "auto" => Port == 465 ? SecureSocketOptions.SslOnConnect : EnableSsl ? SecureSocketOptions.StartTls : SecureSocketOptions.None,
            _ => throw new InvalidOperationException("Email:Smtp:Security must be Auto, StartTls, Tls or None."),
        };
    }
}

/// <summary>One plain-text email, ready to go: an address, fixed wording and links, nothing a person wrote.</summary>
public sealed record OutgoingMail(string To, string Subject, string Body);

/// <summary>How a ready email leaves Attune. Only the mail queue calls it, off every request path.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}

/// <summary>
/// Sends through SMTP with MailKit, or writes an .eml file into the pickup folder when no SMTP host
/// is configured (so a local install needs no mail server). The pickup folder is the owner's alone
/// (0700) and each file is made 0600 before it appears there: an .eml can hold a live reset link.
/// The recipient is the bare address, never a display name someone else chose. A failure throws,
/// and the mail lane tries again later (<see cref="MailDelivery"/>).
/// </summary>
public sealed class SmtpMailSender(IOptions<EmailOptions> options, IOptions<AttuneOptions> attune, Observability.AttuneMeters meters, ILogger<SmtpMailSender> logger) : IMailSender
{
    /// <summary>Tests only: trust this one certificate (a local test server's), as well as those the system trusts.</summary>
    internal X509Certificate2? TrustedTestCertificate { get; set; }

    public string? PickupDirectory => string.IsNullOrWhiteSpace(options.Value.Smtp.Host)
        ? Path.GetFullPath(options.Value.PickupDirectory ?? Path.Combine(attune.Value.ResolveDataDirectory(), "mail"))
        : null;

    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var o = options.Value;
        using var message = Compose(mail, o.Smtp.From);
        var pickup = PickupDirectory;
        if (pickup is not null)
        {
            await WriteToPickupAsync(message, pickup, ct);
            meters.NoticeSent(Observability.NoticeChannel.Email);
            return;
        }
        using var client = new SmtpClient { Timeout = o.Smtp.TimeoutSeconds * 1000 };
        if (TrustedTestCertificate is { } trusted)
            client.ServerCertificateValidationCallback = (_, cert, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || (cert is not null && cert.GetCertHashString() == trusted.GetCertHashString());
        try
        {
            await client.ConnectAsync(o.Smtp.Host!, o.Smtp.Port, o.Smtp.SocketOptions(), ct);
            if (!string.IsNullOrEmpty(o.Smtp.User)) await client.AuthenticateAsync(o.Smtp.User, o.Smtp.Password ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or AuthenticationException or System.Security.Authentication.AuthenticationException or IOException or System.Net.Sockets.SocketException or SslHandshakeException or TimeoutException)
        {
            // The address and the content stay out of the log: the kind of failure and the server's status code only.
            logger.LogError("Sending an email failed: {Failure} {Status}", ex.GetType().Name, (ex as SmtpCommandException)?.StatusCode);
            meters.NoticeFailed(Observability.NoticeChannel.Email);
            throw;
        }
        meters.NoticeSent(Observability.NoticeChannel.Email);
    }

    internal static MimeMessage Compose(OutgoingMail mail, string from)
    {
        var to = MailboxAddress.TryParse(mail.To, out var parsed) ? parsed.Address : mail.To;
        var message = new MimeMessage { Subject = mail.Subject, Body = new TextPart("plain") { Text = mail.Body } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress("", to));
        return message;
    }

    /// <summary>Written to a private staging folder first, made 0600, then moved in whole.</summary>
    private static async Task WriteToPickupAsync(MimeMessage message, string pickup, CancellationToken ct)
    {
        PrivateFiles.EnsureFolder(pickup);
        var staging = PrivateFiles.EnsureFolder(Path.Combine(PrivateFiles.EnsureFolder(Path.Combine(pickup, ".staging")), Guid.NewGuid().ToString("N")));
        try
        {
            var name = $"{Guid.NewGuid():N}.eml";
            var file = Path.Combine(staging, name);
            await using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
            {
                PrivateFiles.MakePrivate(file);
                await message.WriteToAsync(stream, ct);
            }
            File.Move(file, Path.Combine(pickup, name), overwrite: true);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
