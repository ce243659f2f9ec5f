using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Attune.Tests.Support;

/// <summary>
/// Just enough of an SMTP server (RFC 5321) on 127.0.0.1 to prove how Attune hands mail over: EHLO,
/// STARTTLS or implicit TLS with a self-signed certificate, AUTH PLAIN, MAIL, RCPT, DATA, QUIT. It
/// keeps each message it accepted as raw text, and can refuse the next DATA with a temporary 451.
/// </summary>
public sealed class TinySmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TinySmtpServer(bool implicitTls = false, bool offerStartTls = true, (string User, string Password)? login = null)
    {
        ImplicitTls = implicitTls;
        OfferStartTls = offerStartTls;
        Login = login;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public bool ImplicitTls { get; }
    public bool OfferStartTls { get; }
    public (string User, string Password)? Login { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public X509Certificate2 Certificate { get; } = MakeCertificate();
    /// <summary>Refuse this many DATA commands with 451 before accepting.</summary>
    public int RefuseNextData { get; set; }

    public sealed record Received(string From, IReadOnlyList<string> To, string Data, bool OverTls, bool Authenticated);

    private readonly List<Received> _received = [];
    public IReadOnlyList<Received> Messages { get { lock (_received) return [.. _received]; } }

    public async Task<Received> NextAsync(TimeSpan timeout, int count = 1)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Messages.Count >= count) return Messages[count - 1];
            await Task.Delay(25);
        }
        throw new Xunit.Sdk.XunitException($"The SMTP server had {Messages.Count} message(s), not {count}, after {timeout}.");
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try { await ServeAsync(client.GetStream()); }
                    catch (Exception e) when (e is IOException or ObjectDisposedException or System.Security.Authentication.AuthenticationException) { }
                }
            });
        }
    }

    private async Task ServeAsync(Stream stream)
    {
        var tls = false;
        if (ImplicitTls) { stream = await UpgradeAsync(stream); tls = true; }
        var (reader, writer) = Open(stream);
        await writer.WriteAsync("220 localhost tiny ESMTP\r\n");
        string from = "";
        var to = new List<string>();
        var authenticated = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    var lines = new List<string> { "localhost" };
                    if (OfferStartTls && !tls && !ImplicitTls) lines.Add("STARTTLS");
                    if (Login is not null) lines.Add("AUTH PLAIN");
                    for (var i = 0; i < lines.Count; i++) await writer.WriteAsync($"250{(i < lines.Count - 1 ? "-" : " ")}{lines[i]}\r\n");
                    break;
                case "STARTTLS":
                    await writer.WriteAsync("220 go ahead\r\n");
                    stream = await UpgradeAsync(stream);
                    (reader, writer) = Open(stream);
                    tls = true;
                    break;
                case "AUTH":
                    var parts = line.Split(' ');
                    var token = parts.Length > 2 ? parts[2] : null;
                    if (token is null) { await writer.WriteAsync("334 \r\n"); token = await reader.ReadLineAsync(); }
                    var fields = Encoding.UTF8.GetString(Convert.FromBase64String(token ?? "")).Split('\0');
                    authenticated = Login is { } l && fields.Length == 3 && fields[1] == l.User && fields[2] == l.Password;
                    await writer.WriteAsync(authenticated ? "235 2.7.0 ok\r\n" : "535 5.7.8 no\r\n");
                    break;
                case "MAIL":
                    if (Login is not null && !authenticated) { await writer.WriteAsync("530 5.7.0 authenticate first\r\n"); break; }
                    from = line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0].Trim('<', '>');
                    to.Clear();
                    await writer.WriteAsync("250 ok\r\n");
                    break;
                case "RCPT":
                    to.Add(line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0].Trim('<', '>'));
                    await writer.WriteAsync("250 ok\r\n");
                    break;
                case "DATA":
                    await writer.WriteAsync("354 end with .\r\n");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } d && d != ".") data.Append(d.StartsWith("..", StringComparison.Ordinal) ? d[1..] : d).Append("\r\n");
                    if (RefuseNextData > 0) { RefuseNextData--; await writer.WriteAsync("451 4.3.0 try again later\r\n"); break; }
                    lock (_received) _received.Add(new Received(from, [.. to], data.ToString(), tls, authenticated));
                    await writer.WriteAsync("250 queued\r\n");
                    break;
                case "QUIT":
                    await writer.WriteAsync("221 bye\r\n");
                    return;
                default:
                    await writer.WriteAsync("250 ok\r\n");
                    break;
            }
        }
    }

    private static (StreamReader, StreamWriter) Open(Stream stream) =>
        (new StreamReader(stream, Encoding.Latin1, false, 1024, leaveOpen: true), new StreamWriter(stream, Encoding.Latin1, 1024, leaveOpen: true) { AutoFlush = true, NewLine = "\r\n" });

    private async Task<Stream> UpgradeAsync(Stream inner)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(Certificate);
        return ssl;
    }

    private static X509Certificate2 MakeCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
        Certificate.Dispose();
    }
}
