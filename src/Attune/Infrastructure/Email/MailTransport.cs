using System.Net;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Options;

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
        /// <summary>How long one message may take to hand over, so a stuck server holds up the mail queue only this long.</summary>
        public int TimeoutSeconds { get; set; } = 15;
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
/// Sends through SMTP, or writes an .eml file into the pickup folder when no SMTP host is
/// configured (so a local install needs no mail server). The pickup folder is the owner's alone
/// (0700) and each file is made 0600 before it appears there: an .eml can hold a live reset link.
/// The recipient is the bare address, never a display name someone else chose.
/// </summary>
public sealed class SmtpMailSender(IOptions<EmailOptions> options, IOptions<AttuneOptions> attune, Observability.AttuneMeters meters, ILogger<SmtpMailSender> logger) : IMailSender
{
    public string? PickupDirectory => string.IsNullOrWhiteSpace(options.Value.Smtp.Host)
        ? Path.GetFullPath(options.Value.PickupDirectory ?? Path.Combine(attune.Value.ResolveDataDirectory(), "mail"))
        : null;

    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var o = options.Value;
        var to = new MailAddress(MailAddress.TryCreate(mail.To, out var parsed) ? parsed.Address : mail.To);
        using var message = new MailMessage(new MailAddress(o.Smtp.From), to)
        {
            Subject = mail.Subject,
            Body = mail.Body,
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
            BodyTransferEncoding = System.Net.Mime.TransferEncoding.Base64,
        };
        using var client = new SmtpClient();
        var pickup = PickupDirectory;
        if (pickup is not null)
        {
            await WriteToPickupAsync(client, message, pickup, ct);
            meters.NoticeSent(Observability.NoticeChannel.Email);
            return;
        }
        client.Host = o.Smtp.Host!;
        client.Port = o.Smtp.Port;
        client.EnableSsl = o.Smtp.EnableSsl;
        client.Timeout = o.Smtp.TimeoutSeconds * 1000;
        if (!string.IsNullOrEmpty(o.Smtp.User)) client.Credentials = new NetworkCredential(o.Smtp.User, o.Smtp.Password);
        try
        {
            await client.SendMailAsync(message, ct);
        }
        catch (SmtpException ex)
        {
            // The address and the content stay out of the log.
            logger.LogError("Sending an email failed: {Status}", ex.StatusCode);
            meters.NoticeFailed(Observability.NoticeChannel.Email);
            throw;
        }
        meters.NoticeSent(Observability.NoticeChannel.Email);
    }

    /// <summary>Written to a private staging folder first, made 0600, then moved in whole.</summary>
    private static async Task WriteToPickupAsync(SmtpClient client, MailMessage message, string pickup, CancellationToken ct)
    {
        PrivateFiles.EnsureFolder(pickup);
        var staging = PrivateFiles.EnsureFolder(Path.Combine(PrivateFiles.EnsureFolder(Path.Combine(pickup, ".staging")), Guid.NewGuid().ToString("N")));
        try
        {
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = staging;
            await client.SendMailAsync(message, ct);
            foreach (var file in Directory.GetFiles(staging, "*.eml"))
            {
                PrivateFiles.MakePrivate(file);
                File.Move(file, Path.Combine(pickup, Path.GetFileName(file)), overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
