using System.Net;
using System.Net.Mail;
using System.Text;
using Attune.Infrastructure.Observability;
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
    }
}

/// <summary>
/// Sends plain-text email through SMTP, or writes it as an .eml file into the pickup folder when
/// no SMTP host is configured (so a local install needs no mail server). Messages never carry what
/// a person wrote; callers pass only links and fixed wording.
/// </summary>
public sealed class Mailer(IOptions<EmailOptions> options, IOptions<AttuneOptions> attune, AttuneMeters meters, ILogger<Mailer> logger)
{
    public string? PickupDirectory => string.IsNullOrWhiteSpace(options.Value.Smtp.Host)
        ? Path.GetFullPath(options.Value.PickupDirectory ?? Path.Combine(attune.Value.ResolveDataDirectory(), "mail"))
        : null;

    public async Task SendAsync(string to, string subject, string body, CancellationToken ct = default)
    {
        var o = options.Value;
        using var message = new MailMessage(MailAddress(o.Smtp.From), new MailAddress(to))
        {
            Subject = subject,
            Body = body,
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
            BodyTransferEncoding = System.Net.Mime.TransferEncoding.Base64,
        };
        using var client = new SmtpClient();
        var pickup = PickupDirectory;
        if (pickup is not null)
        {
            Directory.CreateDirectory(pickup);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = pickup;
        }
        else
        {
            client.Host = o.Smtp.Host!;
            client.Port = o.Smtp.Port;
            client.EnableSsl = o.Smtp.EnableSsl;
            if (!string.IsNullOrEmpty(o.Smtp.User)) client.Credentials = new NetworkCredential(o.Smtp.User, o.Smtp.Password);
        }
        try
        {
            await client.SendMailAsync(message, ct);
        }
        catch (SmtpException ex)
        {
            // The address and the content stay out of the log.
            logger.LogError("Sending an email failed: {Status}", ex.StatusCode);
            meters.NoticeFailed(NoticeChannel.Email);
            throw;
        }
        meters.NoticeSent(NoticeChannel.Email);
    }

    private static MailAddress MailAddress(string from) => new(from);
}
