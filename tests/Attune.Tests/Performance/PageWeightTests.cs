using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attune.Tests.Support;
using Xunit.Abstractions;

namespace Attune.Tests.Performance;

/// <summary>
/// The page-weight budget of docs/performance.md: on each main page, the stylesheets and scripts of
/// our own that the page links (same origin, outside <c>/lib</c>) add up to at most 50 KB once
/// gzipped. Each file is fetched from the app as a browser would and compressed here (gzip, level
/// Optimal), so the figure is what a compressing proxy sends. The figures are printed per page.
/// </summary>
public sealed partial class PageWeightTests(AttuneApp app, ITestOutputHelper output) : IClassFixture<AttuneApp>
{
    /// <summary>The budget per page, in bytes after gzip.</summary>
    public const int BudgetBytes = 50 * 1024;

    [Fact]
    public async Task EachMainPage_LinksAtMost50KBGzip_OfOurOwnCssAndJs()
    {
        var person = await app.RegisterAsync("Rowan");
        using var pages = await app.SignInPagesAsync(person.Email);
        var practice = await person.Api.PostAsJsonAsync("/api/v1/practices/safe-place/sessions", new { sudsBefore = 3 });
        var session = JsonDocument.Parse(await Expect.StatusAsync(practice, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var group = await Support.Groups.CreateGroupAsync(person);

        string[] paths =
        [
            "/", "/journal", "/journal/new/free", "/journal/new/letter", "/journal/new/dialogue", "/journal/new/body", "/journal/new/drawing",
            "/circle", "/care", "/check-ins", "/insights", "/activations/new", "/moment", "/reach", "/safety-plan", "/grounding", "/help",
            "/practices/safe-place", $"/practices/sessions/{session}", "/groups", $"/groups/{group.Id}", $"/groups/{group.Id}/meetings/{group.MeetingIds[0]}",
            "/account/security",
        ];
        var sizes = new Dictionary<string, (long Raw, long Gzip)>(StringComparer.Ordinal);
        var over = new List<string>();
        output.WriteLine($"{"page",-50} {"files",5} {"raw B",8} {"gzip B",8}");
        foreach (var path in paths)
        {
            var html = await pages.GetPageAsync(path);
            var files = OwnAssets(html);
            // Every page links the tokens and the site's stylesheet: none found means this test stopped seeing the links.
            Assert.True(files.Any(f => f.EndsWith("/css/tokens.css", StringComparison.Ordinal)), $"{path}: no tokens.css among {string.Join(", ", files)}");
            long raw = 0, gzip = 0;
            foreach (var file in files)
            {
                if (!sizes.TryGetValue(file, out var size)) sizes[file] = size = await MeasureAsync(pages.Http, file);
                raw += size.Raw;
                gzip += size.Gzip;
            }
            output.WriteLine($"{Guid().Replace(path, "{id}"),-50} {files.Count,5} {raw,8} {gzip,8}");
            if (gzip > BudgetBytes) over.Add($"{path}: {gzip} bytes gzip (budget {BudgetBytes}): {string.Join(", ", files)}");
        }
        output.WriteLine("");
        foreach (var (file, size) in sizes.OrderByDescending(s => s.Value.Gzip)) output.WriteLine($"{file,-50} {"",5} {size.Raw,8} {size.Gzip,8}");
        Assert.True(over.Count == 0, "Pages over the CSS and JS budget:\n" + string.Join("\n", over));
    }

    /// <summary>The same-origin stylesheets and scripts a page links, without their version query, third-party /lib files left out.</summary>
    private static List<string> OwnAssets(string html)
    {
        var urls = new List<string>();
        foreach (Match tag in Tag().Matches(html))
        {
            var attributes = Attribute().Matches(tag.Value).ToDictionary(a => a.Groups[1].Value.ToLowerInvariant(), a => WebUtility.HtmlDecode(a.Groups[2].Value));
            var url = tag.Groups[1].Value.Equals("script", StringComparison.OrdinalIgnoreCase)
                ? attributes.GetValueOrDefault("src")
                : attributes.GetValueOrDefault("rel")?.Split(' ').Contains("stylesheet") == true ? attributes.GetValueOrDefault("href") : null;
            if (url is null || !url.StartsWith('/') || url.StartsWith("//", StringComparison.Ordinal)) continue;
            url = url.Split('?')[0];
            if (!url.StartsWith("/lib/", StringComparison.Ordinal) && !urls.Contains(url)) urls.Add(url);
        }
        return urls;
    }

    private static async Task<(long Raw, long Gzip)> MeasureAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && bytes.Length > 0, $"GET {url} answered {(int)response.StatusCode} with {bytes.Length} bytes");
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(bytes);
        return (bytes.Length, compressed.Length);
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"<(link|script)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    [GeneratedRegex(@"([a-zA-Z-]+)\s*=\s*""([^""]*)""")]
    private static partial Regex Attribute();
}
