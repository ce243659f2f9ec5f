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
    /// <summary>Compile the insights queries in the background after start (Composition/WarmUp.cs).</summary>
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

    /// <summary>The data folder, made (or kept) the owner's alone: 0700.</summary>
    public string ResolveDataDirectory() => PrivateFiles.EnsureFolder(Path.GetFullPath(DataDirectory));
}

public static class AttuneOptionsSetup
{
    /// <summary>
    /// Binds <c>Attune:*</c> and checks it at start. Outside Development the public address must be
    /// set: every link in an email is built from it, never from what a request says its host is
    /// (a forged Host or X-Forwarded-Host would otherwise put an attacker's site in a reset link).
    /// Unless <c>AllowedHosts</c> is configured, requests are accepted only for that host (and
    /// loopback, for a local proxy's health checks).
    /// </summary>
    public static IHostApplicationBuilder AddAttuneOptions(this IHostApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<AttuneOptions>().BindConfiguration(AttuneOptions.Section)
            .Validate(o => development || IsPublicBaseUrl(o.PublicBaseUrl),
                "Attune:PublicBaseUrl must be set outside Development, to the address people use to reach Attune (for example https://attune.example.org): links in emails are built from it. Set it in appsettings.json, or as the environment variable Attune__PublicBaseUrl.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || IsPublicBaseUrl(o.PublicBaseUrl),
                "Attune:PublicBaseUrl must be an absolute http or https address, such as https://attune.example.org.")
            .ValidateOnStart();
        if (string.IsNullOrEmpty(builder.Configuration["AllowedHosts"]))
        {
            builder.Configuration["AllowedHosts"] = development ? "*"
                : Uri.TryCreate(builder.Configuration["Attune:PublicBaseUrl"], UriKind.Absolute, out var url) ? $"{url.Host};localhost;127.0.0.1;[::1]"
                : "localhost;127.0.0.1;[::1]";
        }
        return builder;
    }

    private static bool IsPublicBaseUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" && string.IsNullOrEmpty(url.Query);
}
