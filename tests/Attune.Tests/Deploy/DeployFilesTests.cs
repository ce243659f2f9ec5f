using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Attune.Tests.Support;

namespace Attune.Tests.Deploy;

/// <summary>
/// The files a self-hoster installs (deploy/) are checked by the tools that will read them: nginx
/// parses the real site file (only the certificate and log paths pointed at a scratch folder), and
/// systemd verifies the unit and scores its exposure.
/// </summary>
public sealed class DeployFilesTests
{
    [NeedsFact("nginx")]
    public async Task NginxSite_PassesNginxTest_AndKeepsLiveEventsUnbuffered()
    {
        var site = await File.ReadAllTextAsync(Tools.RepoPath("deploy", "nginx-attune.conf"));
        Assert.Contains("proxy_buffering off;", site, StringComparison.Ordinal);
        Assert.Contains("proxy_read_timeout 1h;", site, StringComparison.Ordinal);
        Assert.Contains("location ~ ^/(api/v1/events|live)$", site, StringComparison.Ordinal);
        Assert.Contains("location = /metrics { return 404; }", site, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-For $proxy_add_x_forwarded_for", site, StringComparison.Ordinal);
        Assert.Contains("proxy_next_upstream error timeout;", site, StringComparison.Ordinal); // failover (ClusterTests)

        var dir = Directory.CreateTempSubdirectory("attune-nginx").FullName;
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=attune.example.org", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(Path.Combine(dir, "fullchain.pem"), cert.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(dir, "privkey.pem"), key.ExportPkcs8PrivateKeyPem());
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "attune.conf"), site
            .Replace("/etc/letsencrypt/live/attune.example.org/", dir + "/", StringComparison.Ordinal)
            .Replace("/var/log/nginx/", dir + "/", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), $$"""
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            events { }
            http { include {{dir}}/attune.conf; }
            """);
        var said = await Tools.RunAsync(Tools.Find("nginx")!, ["-t", "-p", dir, "-e", Path.Combine(dir, "error.log"), "-c", Path.Combine(dir, "nginx.conf")]);
        Assert.Contains("test is successful", said, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }

    [NeedsFact("systemd-analyze")]
    public async Task SystemdUnit_IsValid_Hardened_AndRunsThePublishedApp()
    {
        var unit = await File.ReadAllTextAsync(Tools.RepoPath("deploy", "attune.service"));
        foreach (var line in new[]
        {
            "User=attune", "WorkingDirectory=/opt/attune", "ExecStart=/usr/bin/dotnet /opt/attune/Attune.dll",
            "Environment=ASPNETCORE_ENVIRONMENT=Production", "Environment=Attune__DataDirectory=/var/lib/attune",
            "StateDirectory=attune", "StateDirectoryMode=0700", "UMask=0077", "NoNewPrivileges=yes", "ProtectSystem=strict",
            "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=", "SystemCallFilter=@system-service", "SystemCallErrorNumber=EPERM",
        })
            Assert.Contains("\n" + line + "\n", unit, StringComparison.Ordinal);
        // .NET calls sched_setaffinity and sched_setscheduler (group @resources) for every thread it
        // starts (seen with strace): denying them would kill the process as it starts.
        Assert.DoesNotContain(unit.Split('\n'), l => l.StartsWith("SystemCallFilter=", StringComparison.Ordinal) && l.Contains("@resources", StringComparison.Ordinal));
        var dir = Directory.CreateTempSubdirectory("attune-unit").FullName;
        var copy = Path.Combine(dir, "attune.service");
        // verify wants ExecStart's program to exist: the dotnet this machine has.
        var dotnet = Path.Combine(Path.GetDirectoryName(Environment.ProcessPath!)!, "dotnet");
        await File.WriteAllTextAsync(copy, unit.Replace("ExecStart=/usr/bin/dotnet", "ExecStart=" + (File.Exists(dotnet) ? dotnet : "/usr/bin/dotnet"), StringComparison.Ordinal));
        var verified = await Tools.RunAsync(Tools.Find("systemd-analyze")!, ["verify", copy]);
        Assert.DoesNotContain("attune.service:", verified, StringComparison.Ordinal); // any warning names the file
        // systemd's own exposure score, 0 (locked down) to 10 (unprotected): fail above 2.
        await Tools.RunAsync(Tools.Find("systemd-analyze")!, ["security", "--offline=true", "--threshold=20", copy]);
        Directory.Delete(dir, recursive: true);
    }
}
