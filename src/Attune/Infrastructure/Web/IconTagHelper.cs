using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Attune.Infrastructure.Web;

/// <summary>
/// <c>&lt;icon name="journal" /&gt;</c>: one icon from the sprite the build copies from lucide-static
/// (<c>wwwroot/lib/icons.svg</c>, chosen in <c>tools/icons/icons.json</c>), drawn in the text's colour.
/// Icons stand beside words, never for them, so each is hidden from screen readers; one that must
/// speak for itself is given a <c>label</c> (its accessible name) instead. A name the sprite doesn't
/// hold is a mistake in the page: it throws outside Production; tests check the names pages draw.
/// </summary>
[HtmlTargetElement("icon", TagStructure = TagStructure.WithoutEndTag)]
public sealed partial class IconTagHelper(IFileVersionProvider versions, IWebHostEnvironment environment) : TagHelper
{
    public const string Sprite = "/lib/icons.svg";

    public string Name { get; set; } = "";

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext? ViewContext { get; set; }

    /// <summary>An accessible name, for an icon that stands alone; without one it is hidden from screen readers.</summary>
    public string? Label { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var names = Names(environment);
        if (!names.Contains(Name))
        {
            // A mistake in the page: loud while pages are made, and in Production only the icon is left
            // out (it never carries meaning the words beside it don't). IconTests checks every name pages use.
            if (!environment.IsProduction())
                throw new InvalidOperationException(names.Count == 0
                    ? $"{Sprite} is missing or empty: the build makes it from npm's lucide-static (run `npm ci`, then build)."
                    : $"There is no icon \"{Name}\" in {Sprite} (tools/icons/icons.json lists them).");
            output.SuppressOutput();
            return;
        }
        output.TagName = "svg";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "icon");
        output.Attributes.SetAttribute("focusable", "false");
        if (Label is { Length: > 0 } label)
        {
            output.Attributes.SetAttribute("role", "img");
            output.Attributes.SetAttribute("aria-label", label);
        }
        else output.Attributes.SetAttribute("aria-hidden", "true");
        var href = versions.AddFileVersionToPath(ViewContext?.HttpContext.Request.PathBase ?? default, Sprite) + "#" + Name;
        output.Content.SetHtmlContent($"<use href=\"{System.Net.WebUtility.HtmlEncode(href)}\"></use>");
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, FrozenSet<string>> Known = new(StringComparer.Ordinal);

    /// <summary>The symbols the sprite holds, read once per web root.</summary>
    internal static FrozenSet<string> Names(IWebHostEnvironment environment) =>
        Known.GetOrAdd(environment.WebRootPath ?? "", _ => Read(environment));

    private static FrozenSet<string> Read(IWebHostEnvironment environment)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(Sprite);
        // Missing (a server started without its wwwroot): no icon is known, so Production draws none
        // and pages still answer; elsewhere the first icon says what to do.
        if (!file.Exists) return FrozenSet<string>.Empty;
        using var reader = new StreamReader(file.CreateReadStream());
        return SymbolId().Matches(reader.ReadToEnd()).Select(m => m.Groups[1].Value).ToFrozenSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("<symbol id=\"([a-z0-9-]+)\"")]
    private static partial Regex SymbolId();
}
