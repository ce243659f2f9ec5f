using System.Net;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace Attune.Tests.Performance;

/// <summary>
/// The page benchmark's ceiling page and per-request query counts exist only with
/// <c>Attune:Bench=true</c>: in a normal deployment neither route is there at all.
/// </summary>
public sealed class BenchPagesTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task Without_the_bench_setting_the_ceiling_page_and_the_counts_do_not_exist()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        foreach (var url in new[] { "/bench/bare", "/bench/stats" })
        {
            var response = await pages.Http.GetAsync(url);
            await Expect.StatusAsync(response, HttpStatusCode.NotFound);
        }
        var routes = app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? "");
        Assert.DoesNotContain(routes, r => r.TrimStart('/').StartsWith("bench", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>With the bench setting on: the ceiling is a real signed-in page, and each request's commands are counted.</summary>
public sealed class BenchPagesEnabledTests(BenchPagesEnabledTests.BenchApp app) : IClassFixture<BenchPagesEnabledTests.BenchApp>
{
    public sealed class BenchApp() : AttuneApp(new Dictionary<string, string?> { ["Attune:Bench"] = "true" });

    [Fact]
    public async Task The_ceiling_is_a_signed_in_page_with_the_layout_and_its_queries_are_counted()
    {
        var anonymous = await app.CreateClient().GetAsync("/bench/bare");
        await Expect.StatusAsync(anonymous, HttpStatusCode.Redirect);

        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        await pages.GetPageAsync("/bench/bare"); // the first request with a new cookie also reads its session
        var html = await pages.GetPageAsync("/bench/bare");
        Assert.Contains("Sign out", html, StringComparison.Ordinal); // the signed-in layout
        Assert.Contains("<ul>", html, StringComparison.Ordinal);

        var stats = JsonDocument.Parse(await pages.GetPageAsync("/bench/stats")).RootElement;
        Assert.Equal(1, stats.GetProperty("paths").GetProperty("/bench/bare").GetProperty("last").GetInt32());
    }

    [Fact]
    public async Task A_signed_in_page_reads_nothing_about_the_person_twice()
    {
        var person = await app.RegisterAsync("Rowan");
        using var pages = await app.SignInPagesAsync(person.Email);
        foreach (var url in new[] { "/grounding", "/safety-plan", "/journal" })
        {
            await pages.GetPageAsync(url); // first: the session row and the profile are read once
            await pages.GetPageAsync(url);
            var stats = JsonDocument.Parse(await pages.GetPageAsync("/bench/stats")).RootElement;
            var queries = stats.GetProperty("paths").GetProperty(url).GetProperty("last").GetInt32();
            // Grounding shows the person's own crisis lines: with their country cached it needs no query at all.
            Assert.True(url != "/grounding" || queries == 0, $"{url} ran {queries} queries on a warm request");
            Assert.True(queries <= 3, $"{url} ran {queries} queries on a warm request");
        }
    }
}
