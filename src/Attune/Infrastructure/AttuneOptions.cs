namespace Attune.Infrastructure;

/// <summary>The <c>Attune</c> configuration section (keys documented in README.md).</summary>
public sealed class AttuneOptions
{
    public const string Section = "Attune";

    public string DataDirectory { get; set; } = "data";
    public string? PublicBaseUrl { get; set; }
    public string? MasterKeyFile { get; set; }
    public string? MasterKey { get; set; }
    public bool Demo { get; set; }
    /// <summary>Compile the insights queries in the background after start (see <see cref="WarmUp"/>).</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>Sign-in, registration and reset attempts allowed per client address per minute.</summary>
    public int AuthAttemptsPerMinute { get; set; } = 10;

    /// <summary>Requests that email an address the client chose (reset, resend, register, invite, change email) per client address per hour.</summary>
    public int EmailRequestsPerHour { get; set; } = 30;

    /// <summary>Emails anyone could cause (account emails, invitations) to one address per hour; more are dropped quietly.</summary>
    public int EmailsPerAddressPerHour { get; set; } = 5;

    /// <summary>A signed-in browser session ends after this long without a request.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Any session ends this long after sign-in, however active.</summary>
    public TimeSpan SessionAbsoluteTimeout { get; set; } = TimeSpan.FromDays(14);

    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Addresses of reverse proxies whose X-Forwarded-* headers are trusted (loopback always is).</summary>
    public string[] TrustedProxies { get; set; } = [];

    public string ResolveDataDirectory()
    {
        var dir = Path.GetFullPath(DataDirectory);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
