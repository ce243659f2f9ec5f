using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Attune.Infrastructure.Push;
using Attune.Tests.Support;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;

namespace Attune.Tests.Observability;

/// <summary>
/// With every exporter on, a canary goes everywhere a person puts something (registration, the
/// emailed link, signing in through the API and the pages, a journal entry saved and searched for, a
/// reach pushed and answered, another declined and escalated, a live stream) and must come out
/// nowhere: not in a span, a metric, a log record, nor in the bytes sent to the OTLP collector. Nor
/// may an email address, a query string, or an id or token from a path. The telemetry itself must be
/// there (routes, the push call, database spans, Attune's notice counters, reach and room meters),
/// or the test would prove nothing.
/// </summary>
public sealed class TelemetryPrivacyTests(ObservedApp app) : IClassFixture<ObservedApp>
{
    private const string Canary = "TelemetryCanaryMarigold5519";

    [Fact]
    public async Task PersonalTextAddressesQueriesAndIds_NeverReachSpansMetricsOrLogs()
    {
        var email = AttuneApp.NewEmail("otelcanary");
        var owner = await app.RegisterAsync(displayName: Canary + " owner", email: email, password: Canary + " secret words");
        var supporter = await app.RegisterAsync(displayName: Canary + " supporter");
        var confirmLink = new Uri(Mail.LinkIn(Mail.Latest(app.MailDirectory, email, "Confirm")));
        using var pages = await app.SignInPagesAsync(email, Canary + " secret words");
        await pages.GetPageAsync("/journal?q=" + Canary);

        var created = await owner.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = Canary + " title", text = Canary + " the words I wrote" });
        var entryId = JsonDocument.Parse(await Expect.StatusAsync(created, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        await Expect.StatusAsync(await owner.Api.PutAsJsonAsync($"/api/v1/journal/{entryId}", new { kind = "free", title = Canary, text = Canary + " changed" }), HttpStatusCode.OK);
        await Expect.StatusAsync(await owner.Api.GetAsync($"/api/v1/journal/{entryId}"), HttpStatusCode.OK);
        await Expect.StatusAsync(await owner.Api.GetAsync("/api/v1/journal?q=" + Canary), HttpStatusCode.OK);

        var invite = await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = supporter.Email, name = Canary + " friend" });
        await Expect.StatusAsync(invite, HttpStatusCode.Created);
        var invitationToken = Mail.LinkIn(Mail.Latest(app.MailDirectory, supporter.Email, "invited")).Split('/')[^1];
        await Expect.StatusAsync(await supporter.Api.PostAsync($"/api/v1/circle/invitations/{invitationToken}/accept", null), HttpStatusCode.OK);
        var pushService = app.PushService.NewEndpoint();
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync("/api/v1/push/subscriptions", new
        {
            endpoint = pushService.Url,
            keys = new { p256dh = WebPushCrypto.Base64Url(WebPushCrypto.PublicPoint(browser)), auth = WebPushCrypto.Base64Url(RandomNumberGenerator.GetBytes(16)) },
        }), HttpStatusCode.Created);
        string reachId;
        await using (var live = await LiveEvents.OpenAsync(app, supporter))
        {
            var reach = await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { message = Canary + " please", urgency = "now" });
            reachId = JsonDocument.Parse(await Expect.StatusAsync(reach, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
            Assert.Equal(("reach.received", reachId), await live.Events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{reachId}/responses", new { kind = "here", message = Canary + " I'm here" }), HttpStatusCode.OK);
        }
        await pushService.WaitForAsync();
        // A second reach the only supporter can't take: it moves on at once, with nobody left (an escalation).
        var second = await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { message = Canary + " again", urgency = "today" });
        var secondId = JsonDocument.Parse(await Expect.StatusAsync(second, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{secondId}/responses", new { kind = "cant", message = Canary + " not now, sorry" }), HttpStatusCode.OK);

        app.Flush();
        var spans = app.Spans.ToArray().Select(Describe).ToList();
        var metrics = app.Metrics.ToArray().SelectMany(Describe).ToList();
        var logs = app.LogRecords.ToArray().Select(Describe).ToList();
        var exported = app.Collector.Received.Where(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)).ToList();

        // What must be there, so that finding nothing means something.
        Assert.Contains(spans, s => s.Contains("http.route=/api/v1/journal/{id:guid}", StringComparison.Ordinal) && s.Contains("url.path=/api/v1/journal/{id:guid}", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Contains("kind=Client", StringComparison.Ordinal) && s.Contains("url.full=" + new Uri(pushService.Url).GetLeftPart(UriPartial.Authority) + " ", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Contains("db.system", StringComparison.Ordinal));
        foreach (var channel in new[] { "email", "push", "live" })
            Assert.Contains(metrics, m => m.StartsWith("attune.notices.sent ", StringComparison.Ordinal) && m.Contains("channel=" + channel, StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.StartsWith("http.server.request.duration ", StringComparison.Ordinal) && m.Contains("http.route=/api/v1/reaches/{id:guid}/responses", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.StartsWith("attune.jobs.queue.depth ", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.StartsWith("attune.reach.time_to_first_seen ", StringComparison.Ordinal) && m.Contains("urgency=now", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.StartsWith("attune.reach.time_to_first_answer ", StringComparison.Ordinal) && m.Contains("answer=here", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.StartsWith("attune.reach.escalations ", StringComparison.Ordinal) && m.Contains("outcome=exhausted", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.StartsWith("attune.groups.rooms.open ", StringComparison.Ordinal));
        Assert.NotEmpty(logs);
        foreach (var signal in new[] { "/v1/traces", "/v1/metrics", "/v1/logs" })
            Assert.Contains(exported, r => r.Path == signal && r.Body.Length > 0);

        var confirmQuery = System.Web.HttpUtility.ParseQueryString(confirmLink.Query);
        var forbidden = new Dictionary<string, string>
        {
            ["the canary"] = Canary,
            ["an email address"] = email,
            ["the supporter's email address"] = supporter.Email,
            ["a person's id"] = owner.Id,
            ["the supporter's id"] = supporter.Id,
            ["a journal entry's id"] = entryId,
            ["a reach's id"] = reachId,
            ["the second reach's id"] = secondId,
            ["an invitation token"] = invitationToken,
            ["a push endpoint's token"] = pushService.Url.Split('/')[^1],
            ["an access token"] = owner.AccessToken,
            ["an email confirmation code"] = confirmQuery["code"]!,
        };
        var leaks = new List<string>();
        foreach (var (what, value) in forbidden)
        {
            leaks.AddRange(spans.Where(s => s.Contains(value, StringComparison.OrdinalIgnoreCase)).Select(s => $"{what} in a span: {s}"));
            leaks.AddRange(metrics.Where(s => s.Contains(value, StringComparison.OrdinalIgnoreCase)).Select(s => $"{what} in a metric: {s}"));
            leaks.AddRange(logs.Where(s => s.Contains(value, StringComparison.OrdinalIgnoreCase)).Select(s => $"{what} in a log record: {s}"));
            var bytes = Encoding.UTF8.GetBytes(value);
            leaks.AddRange(exported.Where(r => r.Body.AsSpan().IndexOf(bytes) >= 0).Select(r => $"{what} in an OTLP export to {r.Path}"));
        }
        // A query string in any form: the search term went in as ?q=.
        leaks.AddRange(spans.Where(s => s.Contains("?q=", StringComparison.Ordinal) || s.Contains("url.query", StringComparison.Ordinal)).Select(s => "a query string in a span: " + s));
        Assert.True(leaks.Count == 0, "Personal data left the app in telemetry:\n" + string.Join("\n", leaks.Distinct()));
    }

    private static string Describe(Activity a) =>
        $"{a.Source.Name} kind={a.Kind} name={a.DisplayName} status={a.Status} {a.StatusDescription} "
        + string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " "
        + string.Join(" ", a.Events.Select(e => e.Name + " " + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}")))) + " "
        + string.Join(" ", a.Baggage.Select(b => $"{b.Key}={b.Value}"));

    private static IEnumerable<string> Describe(MetricSnapshot m)
    {
        foreach (var point in m.MetricPoints)
        {
            var tags = new List<string>();
            foreach (var t in point.Tags) tags.Add($"{t.Key}={t.Value}");
            yield return $"{m.Name} {m.MeterName} {m.Unit} {m.Description} {string.Join(" ", tags)}";
        }
    }

    private static string Describe(LogRecord r) =>
        $"{r.CategoryName} {r.EventId.Name} {r.FormattedMessage} {r.Body} "
        + string.Join(" ", (r.Attributes ?? []).Select(a => $"{a.Key}={Convert.ToString(a.Value, CultureInfo.InvariantCulture)}")) + " " + r.Exception;
}
