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
            if (!environment.IsProduction()) throw new InvalidOperationException($"There is no icon \"{Name}\" in {Sprite} (tools/icons/icons.json lists them).");
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

    private static FrozenSet<string>? _names;

    /// <summary>The symbols the sprite holds, read once.</summary>
    internal static FrozenSet<string> Names(IWebHostEnvironment environment)
    {
        if (_names is { } known) return known;
        var file = environment.WebRootFileProvider.GetFileInfo(Sprite);
        if (!file.Exists) throw new InvalidOperationException($"{Sprite} is missing: the build makes it from npm's lucide-static (run `npm ci`, then build).");
        using var reader = new StreamReader(file.CreateReadStream());
        var ids = SymbolId().Matches(reader.ReadToEnd()).Select(m => m.Groups[1].Value).ToFrozenSet(StringComparer.Ordinal);
        return _names = ids;
    }

    [GeneratedRegex("<symbol id=\"([a-z0-9-]+)\"")]
    private static partial Regex SymbolId();
}
