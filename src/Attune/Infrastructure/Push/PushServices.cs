using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Attune.Infrastructure.Push;

/// <summary><c>Attune:Push</c>: push services beyond the browsers' own.</summary>
public sealed class PushOptions
{
    public const string Section = "Attune:Push";

    /// <summary>
    /// Other push services, each an origin such as <c>https://push.example.org</c> or
    /// <c>https://*.push.example.org</c> (a self-hosted service, or a local one in tests). The
    /// operator vouches for these: their endpoints may use the scheme and port given, and their
    /// addresses are not checked.
    /// </summary>
    public string[] Services { get; set; } = [];
}

/// <summary>Turns a host name into addresses (DNS). Tests replace it to show what a lying DNS server would do.</summary>
public interface IPushResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

internal sealed class DnsPushResolver : IPushResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>
/// Which push endpoints Attune will send to. A subscription's endpoint is a URL the subscriber
/// chooses, and Attune then makes requests to it: left open, that lets anyone make the server
/// call into its own network (link-local metadata, private ranges, loopback) and learn from the
/// fallback email whether something answered. So:
/// - only <c>https</c> endpoints on the browsers' push services (FCM, Mozilla autopush, Apple,
///   Windows WNS), plus the services the operator lists in <see cref="PushOptions.Services"/>;
/// - at connect time (every new connection, after DNS), a built-in service's host must resolve to
///   public addresses only, so a DNS answer that changes to a private address after the check
///   (DNS rebinding) is refused too;
/// - no redirects and no proxy from the environment.
/// </summary>
public sealed class PushServices(IOptions<PushOptions> options, IPushResolver resolver)
{
    /// <summary>The browsers' own push services: exact hosts, or a dot-prefixed suffix for any host under it.</summary>
    public static readonly IReadOnlyList<string> BuiltIn = ["fcm.googleapis.com", "updates.push.services.mozilla.com", ".push.apple.com", ".notify.windows.com"];

    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private IEnumerable<(string Scheme, string Host, int Port)> Configured()
    {
        foreach (var entry in options.Value.Services)
        {
            if (string.IsNullOrWhiteSpace(entry)) continue;
            var wildcard = entry.Contains("://*.", StringComparison.Ordinal);
            var text = wildcard ? entry.Trim().Replace("://*.", "://", StringComparison.Ordinal) : entry.Trim();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) continue;
            yield return (uri.Scheme, wildcard ? "." + uri.Host : uri.Host, uri.Port);
        }
    }

    private static bool HostMatches(string pattern, string host) =>
        pattern.StartsWith('.') ? host.EndsWith(pattern, StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length
            : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);

    /// <summary>The operator listed this host (any scheme and port they gave).</summary>
    private bool IsConfiguredHost(string host) => Configured().Any(c => HostMatches(c.Host, host));

    /// <summary>Whether Attune may send to this endpoint at all (checked when subscribing and again before each send).</summary>
    public bool IsAllowed(string? endpoint)
    {
        if (endpoint is null || endpoint.Length > 1000 || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)) return false;
        if (!string.IsNullOrEmpty(uri.UserInfo)) return false;
        if (Configured().Any(c => c.Scheme == uri.Scheme && c.Port == uri.Port && HostMatches(c.Host, uri.Host))) return true;
        return uri.Scheme == Uri.UriSchemeHttps && uri.Port == 443 && uri.HostNameType == UriHostNameType.Dns && BuiltIn.Any(h => HostMatches(h, uri.Host));
    }

    /// <summary>The handler push requests go through: addresses checked as each connection opens, no redirects, no proxy.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = RequestTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, ct);
        if (!IsConfiguredHost(host)) addresses = addresses.Where(IsPublic).ToArray();
        if (addresses.Length == 0) throw new PushAddressRefusedException();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An address on the public internet: not loopback, private (RFC 1918, RFC 4193), shared
    /// (RFC 6598), link-local (cloud metadata lives there), multicast, reserved, documentation,
    /// or an IPv6 form that carries an IPv4 address inside.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 192 && b[1] == 88 && b[2] == 99)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        // Global unicast is 2000::/3; within it, leave out documentation, 6to4, Teredo, ORCHID and benchmarking ranges.
        if ((b[0] & 0xE0) != 0x20) return false;
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false; // 2001:db8::/32
        if (b[0] == 0x20 && b[1] == 0x02) return false; // 2002::/16
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] <= 0x3f) return false; // 2001::/26: Teredo, benchmarking, ORCHID
        return true;
    }
}

/// <summary>A push service's host resolved to no public address (at connect time, so after any DNS change).</summary>
public sealed class PushAddressRefusedException() : IOException("A push service's host did not resolve to a public address.");
