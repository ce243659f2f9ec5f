using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attune.Features.Circle;
using Attune.Features.Journal;
using Attune.Infrastructure.Web;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Attune.Tests.Design;

/// <summary>
/// Issue 24, icons: the build copies the icons Attune uses from npm's lucide-static into one sprite
/// (tools/icons), served with its licence; pages draw them beside words, hidden from screen readers,
/// and every icon a page names is in the sprite: navigation, the kinds of journal entry, entry actions
/// and where a reach stands.
/// </summary>
public sealed partial class IconTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task TheSprite_IsServed_WithLucidesLicence_AndHoldsWhatIconsJsonNames()
    {
        using var anon = app.CreateClient();
        using var response = await anon.GetAsync(IconTagHelper.Sprite);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var sprite = await response.Content.ReadAsStringAsync();
        Assert.Contains("lucide-static", sprite, StringComparison.Ordinal);
        Assert.Contains("ISC License", sprite, StringComparison.Ordinal);
        Assert.Equal("svg", System.Xml.Linq.XDocument.Parse(sprite).Root!.Name.LocalName); // well-formed, or browsers draw nothing from it

        var wanted = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "tools", "icons", "icons.json"))).RootElement
            .EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('_')).Order().ToList();
        Assert.Equal(wanted, Symbols(sprite).Order().ToList());
    }

    [Fact]
    public async Task Pages_DrawOnlyIconsTheSpriteHolds_BesideWords_HiddenFromScreenReaders()
    {
        var owner = await app.RegisterAsync("Robin Icons");
        var supporter = await app.RegisterAsync("Ash Icons");
        await Circles.JoinAsync(app, owner, supporter, "Ash");
        var entry = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/journal",
            new { kind = "free", title = "A slow morning", text = "Tea by the window before anyone woke." }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var reach = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "today" }), HttpStatusCode.Created))
            .RootElement.GetProperty("id").GetString();
        using var anon = app.CreateClient();
        var symbols = Symbols(await anon.GetStringAsync(IconTagHelper.Sprite)).ToHashSet();

        using var pages = await app.SignInPagesAsync(owner.Email);
        var seen = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var path in new[] { "/", "/journal", $"/journal/{entry}", $"/reaches/{reach}", "/circle" })
        {
            var html = await pages.GetPageAsync(path);
            var icons = IconElement().Matches(html).ToList();
            Assert.NotEmpty(icons);
            foreach (Match icon in icons)
            {
                Assert.Matches("^/lib/icons\\.svg\\?v=[^#\"]+$", WebUtility.HtmlDecode(icon.Groups["file"].Value));
                Assert.Contains(icon.Groups["name"].Value, symbols);
                Assert.Contains("aria-hidden=\"true\"", icon.Groups["attributes"].Value, StringComparison.Ordinal);
            }
            seen[path] = icons.Select(i => i.Groups["name"].Value).ToList();
        }
        // The bar's four places; the rest under "More", each with its own.
        Assert.Superset(new HashSet<string> { "today", "journal", "circle", "more", "journey", "insights", "care", "groups", "check-ins", "safety-plan" }, seen["/"].ToHashSet());
        // Every kind of entry one can start, the entry's own kind in the list and on the entry, its actions.
        Assert.Superset(new HashSet<string> { "kind-free", "kind-prompted", "kind-letter", "kind-dialogue", "kind-memory", "kind-body", "kind-drawing" }, seen["/journal"].ToHashSet());
        Assert.Equal(2, seen["/journal"].Count(n => n == "kind-free"));
        Assert.Superset(new HashSet<string> { "kind-free", "edit", "share", "delete" }, seen[$"/journal/{entry}"].ToHashSet());
        // Where the reach stands: sent to Ash, not yet seen.
        Assert.Contains("reach-sent", seen[$"/reaches/{reach}"]);
        // Names made from data: every kind of entry and every answer to a reach has its icon.
        Assert.Superset(EntryKinds.All.Select(k => "kind-" + k).Concat(Reaches.Kinds.Select(k => "reach-" + k)).ToHashSet(), symbols);
    }

    [Fact]
    public void AnIconTheSpriteLacks_FailsThePage_InDevelopment_AndIsLeftOutInProduction()
    {
        var versions = app.Services.GetRequiredService<IFileVersionProvider>();
        var environment = app.Services.GetRequiredService<IWebHostEnvironment>();
        var development = new Environment(environment) { EnvironmentName = Environments.Development };
        Assert.Throws<InvalidOperationException>(() => Render(new IconTagHelper(versions, development) { Name = "no-such-icon" }));

        var production = new Environment(environment) { EnvironmentName = Environments.Production };
        var left = Render(new IconTagHelper(versions, production) { Name = "no-such-icon" });
        Assert.Null(left.TagName);
        var drawn = Render(new IconTagHelper(versions, production) { Name = "journal", Label = "Journal" });
        Assert.Equal("svg", drawn.TagName);
        Assert.Equal("Journal", drawn.Attributes["aria-label"].Value);
        Assert.False(drawn.Attributes.ContainsName("aria-hidden"));
    }

    [Fact]
    public void WithoutTheSprite_ProductionPagesStillAnswer_WithoutIcons_AndDevelopmentSaysWhatToDo()
    {
        var versions = app.Services.GetRequiredService<IFileVersionProvider>();
        var environment = app.Services.GetRequiredService<IWebHostEnvironment>();
        var bare = new Environment(environment) { WebRootPath = Path.Combine(Path.GetTempPath(), "attune-no-webroot"), WebRootFileProvider = new NullFileProvider(), EnvironmentName = Environments.Production };
        Assert.Null(Render(new IconTagHelper(versions, bare) { Name = "journal" }).TagName);
        bare.EnvironmentName = Environments.Development;
        Assert.Contains("npm ci", Assert.Throws<InvalidOperationException>(() => Render(new IconTagHelper(versions, bare) { Name = "journal" })).Message, StringComparison.Ordinal);
    }

    private static TagHelperOutput Render(IconTagHelper icon)
    {
        var output = new TagHelperOutput("icon", [], (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        icon.Process(new TagHelperContext([], new Dictionary<object, object>(), "icon"), output);
        return output;
    }

    private static IEnumerable<string> Symbols(string sprite) => SymbolId().Matches(sprite).Select(m => m.Groups[1].Value);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "package.json"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("No package.json above " + AppContext.BaseDirectory);
    }

    private sealed class Environment(IWebHostEnvironment inner) : IWebHostEnvironment
    {
        public string EnvironmentName { get; set; } = inner.EnvironmentName;
        public string ApplicationName { get; set; } = inner.ApplicationName;
        public string ContentRootPath { get; set; } = inner.ContentRootPath;
        public IFileProvider ContentRootFileProvider { get; set; } = inner.ContentRootFileProvider;
        public string WebRootPath { get; set; } = inner.WebRootPath;
        public IFileProvider WebRootFileProvider { get; set; } = inner.WebRootFileProvider;
    }

    [GeneratedRegex("<symbol id=\"([a-z0-9-]+)\"")]
    private static partial Regex SymbolId();

    [GeneratedRegex("<svg(?<attributes>[^>]*class=\"icon\"[^>]*)><use href=\"(?<file>[^\"#]+)#(?<name>[a-z0-9-]+)\"></use></svg>")]
    private static partial Regex IconElement();
}
