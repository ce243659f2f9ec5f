using System.Net.Http.Json;
using System.Text;
using Attune.Tests.Support;

namespace Attune.Tests.Security;

/// <summary>
/// A canary goes in everywhere a person can put text (their name, their password, bad JSON, a
/// query string, a failed sign-in) and must come out nowhere in the logs, at the app's own levels.
/// </summary>
public sealed class LogPrivacyTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task PersonalText_NeverReachesTheLogs()
    {
        const string canary = "LogCanaryThistle8841";
        var email = AttuneApp.NewEmail("logcanary");
        var person = await app.RegisterAsync(displayName: canary + " name", email: email, password: canary + " secret words");
        await person.Api.PatchAsJsonAsync("/api/v1/me", new { displayName = canary + " renamed", timeZone = canary });
        await person.Api.PatchAsync("/api/v1/me", new StringContent("{\"displayName\": \"" + canary + "\" oops", Encoding.UTF8, "application/json"));
        await person.Api.GetAsync("/api/v1/me/access-log?cursor=" + canary);
        await person.Api.GetAsync("/api/v1/me/export");
        using var anon = app.CreateClient();
        await anon.PostAsJsonAsync("/api/auth/login", new { email, password = canary + " wrong" });
        await anon.PostAsJsonAsync("/api/auth/login", new { email = canary + "@example.test", password = canary });
        await anon.PostAsJsonAsync("/api/auth/register", new { email = canary, password = canary });
        await anon.GetAsync("/account/confirm-email?userId=" + canary + "&code=" + canary);

        var lines = app.Logs.Lines;
        Assert.NotEmpty(lines);
        var leaks = lines.Where(l => l.Contains(canary, StringComparison.OrdinalIgnoreCase) || l.Contains(email, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, "Personal text in the logs:\n" + string.Join("\n", leaks));
    }
}
