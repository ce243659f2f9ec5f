using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text;
using Attune.Infrastructure;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Observability;
using Attune.Tests.Support;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Attune.Tests.Email;

/// <summary>
/// How an email leaves Attune over SMTP (MailKit), against a small SMTP server in the test: STARTTLS
/// on 587, implicit TLS on 465, a plain local relay, a login, and no quiet fall-back to plain text
/// when the server cannot do STARTTLS.
/// </summary>
public sealed class SmtpDeliveryTests
{
    private static readonly OutgoingMail Mail = new("Sam <sam@example.org>", "Your Attune sign-in link", "Héllo — here is the link: https://localhost/x\nTake your time.");

    [Fact]
    public async Task StartTls_WithALogin_HandsTheMessageOverEncrypted()
    {
        await using var server = new TinySmtpServer(login: ("attune", "s3cret"));
        var sender = Sender(server, security: "StartTls", user: "attune", password: "s3cret");
        await sender.SendAsync(Mail, CancellationToken.None);

        var got = await server.NextAsync(TimeSpan.FromSeconds(10));
        Assert.True(got.OverTls);
        Assert.True(got.Authenticated);
        AssertIsTheMail(got);
    }

    [Fact]
    public async Task ImplicitTls_OnConnect_HandsTheMessageOver()
    {
        await using var server = new TinySmtpServer(implicitTls: true);
        await Sender(server, security: "Tls").SendAsync(Mail, CancellationToken.None);

        var got = await server.NextAsync(TimeSpan.FromSeconds(10));
        Assert.True(got.OverTls);
        AssertIsTheMail(got);
    }

    [Fact]
    public async Task AServerWithoutStartTls_IsRefused_NotSentInPlainText()
    {
        await using var server = new TinySmtpServer(offerStartTls: false);
        await Assert.ThrowsAsync<NotSupportedException>(() => Sender(server, security: "Auto").SendAsync(Mail, CancellationToken.None));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task AnUntrustedCertificate_IsRefused()
    {
        await using var server = new TinySmtpServer();
        var sender = Sender(server, security: "StartTls", trust: false);
        await Assert.ThrowsAsync<SslHandshakeException>(() => sender.SendAsync(Mail, CancellationToken.None));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task APlainLocalRelay_WhenAskedFor()
    {
        await using var server = new TinySmtpServer(offerStartTls: false);
        await Sender(server, security: "None").SendAsync(Mail, CancellationToken.None);

        var got = await server.NextAsync(TimeSpan.FromSeconds(10));
        Assert.False(got.OverTls);
        AssertIsTheMail(got);
    }

    [Theory]
    [InlineData("Auto", 465, true, SecureSocketOptions.SslOnConnect)]
    [InlineData("Auto", 587, true, SecureSocketOptions.StartTls)]
    [InlineData("Auto", 25, false, SecureSocketOptions.None)]
    [InlineData("starttls", 25, false, SecureSocketOptions.StartTls)]
    [InlineData("Tls", 2465, true, SecureSocketOptions.SslOnConnect)]
    public void SecurityChoices(string security, int port, bool enableSsl, SecureSocketOptions expected) =>
        Assert.Equal(expected, new EmailOptions.SmtpOptions { Security = security, Port = port, EnableSsl = enableSsl }.SocketOptions());

    private static void AssertIsTheMail(TinySmtpServer.Received got)
    {
        Assert.Equal(["sam@example.org"], got.To);
        Assert.Equal("no-reply@attune.example", got.From);
        using var message = MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(got.Data)));
        Assert.Equal("sam@example.org", message.To.Mailboxes.Single().Address);
        Assert.Equal("", message.To.Mailboxes.Single().Name); // the bare address, never a name someone else chose
        Assert.Equal(Mail.Subject, message.Subject);
        Assert.Equal(Mail.Body, (message.TextBody ?? "").TrimEnd().Replace("\r\n", "\n"));
    }

    private static SmtpMailSender Sender(TinySmtpServer server, string security, string? user = null, string? password = null, bool trust = true)
    {
        var options = new EmailOptions
        {
            Smtp = new EmailOptions.SmtpOptions
            {
                Host = "localhost",
                Port = server.Port,
                Security = security,
                User = user,
                Password = password,
                From = "Attune <no-reply@attune.example>",
                TimeoutSeconds = 10,
            },
        };
        var meters = new AttuneMeters(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
        return new SmtpMailSender(Options.Create(options), Options.Create(new AttuneOptions()), meters, NullLogger<SmtpMailSender>.Instance)
        {
            TrustedTestCertificate = trust ? server.Certificate : null,
        };
    }
}

/// <summary>The mail queue over SMTP: mail goes there, not to the pickup folder, and a server that says "try later" gets the email again, once, when the lane retries.</summary>
public sealed class SmtpQueueTests(SmtpQueueTests.App app) : IClassFixture<SmtpQueueTests.App>
{
    public sealed class App : AttuneApp
    {
        public App() : this(new TinySmtpServer(offerStartTls: false)) { }

        private App(TinySmtpServer server) : base(Settings(server)) => Smtp = server;

        public TinySmtpServer Smtp { get; }

        private static Dictionary<string, string?> Settings(TinySmtpServer server) => new()
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:EnableSsl"] = "false", // the setting from before Security existed: "Auto" then means a plain local relay
            ["Email:Smtp:From"] = "Attune <no-reply@attune.example>",
        };

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    [Fact]
    public async Task Registration_SendsTheConfirmationOverSmtp()
    {
        var email = AttuneApp.NewEmail("smtp");
        using var client = app.CreateClient();
        await Expect.StatusAsync(await client.PostAsJsonAsync("/api/auth/register", new { email, password = AttuneApp.DefaultPassword }), System.Net.HttpStatusCode.OK);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        TinySmtpServer.Received? got = null;
        while (got is null && DateTime.UtcNow < deadline)
        {
            got = app.Smtp.Messages.LastOrDefault(m => m.To.Contains(email, StringComparer.OrdinalIgnoreCase));
            if (got is null) await Task.Delay(50);
        }
        Assert.NotNull(got);
        using var message = MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(got.Data)));
        Assert.Equal("Confirm your email for Attune", message.Subject);
        Assert.False(Directory.Exists(app.MailDirectory) && Directory.GetFiles(app.MailDirectory, "*.eml").Length > 0, "Mail went to the pickup folder");
    }

    [Fact]
    public async Task ATemporaryRefusal_IsRetriedByTheMailLane_AndTheEmailArrivesOnce()
    {
        app.Smtp.RefuseNextData = 1;
        await app.Service<Mailer>().SendAsync("robin@example.org", "A note from Attune", "Someone in your circle reached out.");

        // The lane has recorded the failed attempt (and when to try again) before the clock moves on.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !await app.WithDbAsync(db => db.Set<Attune.Infrastructure.Jobs.Job>()
            .AnyAsync(j => j.Kind == Mailer.SendJob && j.DoneAt == null && j.Attempts == 1)))
        {
            app.Service<Attune.Infrastructure.Jobs.JobRunner>().Wake();
            await Task.Delay(50);
        }
        Assert.Equal(0, app.Smtp.RefuseNextData);
        Assert.DoesNotContain(app.Smtp.Messages, m => m.To.Contains("robin@example.org"));

        app.Clock.Advance(TimeSpan.FromSeconds(31)); // the lane's first back-off
        await app.SettledAsync();
        var deadline2 = DateTime.UtcNow.AddSeconds(10);
        while (!app.Smtp.Messages.Any(m => m.To.Contains("robin@example.org")) && DateTime.UtcNow < deadline2) await Task.Delay(25);
        Assert.Single(app.Smtp.Messages, m => m.To.Contains("robin@example.org"));
        Assert.False(Directory.Exists(app.MailDirectory) && Directory.GetFiles(app.MailDirectory, "*.eml").Length > 0); // SMTP, not the pickup folder
    }
}
