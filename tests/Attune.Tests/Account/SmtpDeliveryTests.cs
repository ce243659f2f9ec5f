using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Attune.Tests.Support;

namespace Attune.Tests.Account;

/// <summary>With an SMTP host configured, mail goes over SMTP (here to a minimal server on loopback), not to the pickup folder.</summary>
public sealed class SmtpDeliveryTests : IAsyncLifetime
{
    private readonly FakeSmtpServer _smtp = new();
    private readonly AttuneApp _app;

    public SmtpDeliveryTests() => _app = new SmtpApp(_smtp.Port);

    private sealed class SmtpApp(int port) : AttuneApp(new Dictionary<string, string?>
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:EnableSsl"] = "false",
        ["Email:Smtp:From"] = "Attune <no-reply@attune.test>",
    });

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_app).DisposeAsync();
        _smtp.Dispose();
    }

    [Fact]
    public async Task Registration_SendsTheConfirmationOverSmtp()
    {
        var email = AttuneApp.NewEmail("smtp");
        using var client = _app.CreateClient();
        await Expect.StatusAsync(await client.PostAsJsonAsync("/api/auth/register", new { email, password = AttuneApp.DefaultPassword }), HttpStatusCode.OK);
        var message = await _smtp.NextAsync();
        Assert.Contains($"RCPT TO:<{email}>", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Subject: Confirm your email for Attune", message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_app.MailDirectory) && Directory.GetFiles(_app.MailDirectory).Length > 0, "Mail went to the pickup folder");
    }

    private sealed class FakeSmtpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly System.Threading.Channels.Channel<string> _messages = System.Threading.Channels.Channel.CreateUnbounded<string>();
        private readonly CancellationTokenSource _stop = new();

        public FakeSmtpServer()
        {
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public async Task<string> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            return await _messages.Reader.ReadAsync(timeout.Token);
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (OperationCanceledException) { return; }
                catch (SocketException) { return; }
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                var transcript = new StringBuilder();
                await writer.WriteLineAsync("220 fake.smtp ready");
                while (await reader.ReadLineAsync() is { } line)
                {
                    transcript.AppendLine(line);
                    if (line.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase) || line.StartsWith("HELO", StringComparison.OrdinalIgnoreCase)) await writer.WriteLineAsync("250 fake.smtp");
                    else if (line.StartsWith("DATA", StringComparison.OrdinalIgnoreCase))
                    {
                        await writer.WriteLineAsync("354 go ahead");
                        while (await reader.ReadLineAsync() is { } data && data != ".") transcript.AppendLine(data);
                        await writer.WriteLineAsync("250 queued");
                        await _messages.Writer.WriteAsync(transcript.ToString());
                    }
                    else if (line.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase)) { await writer.WriteLineAsync("221 bye"); return; }
                    else await writer.WriteLineAsync("250 ok");
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
