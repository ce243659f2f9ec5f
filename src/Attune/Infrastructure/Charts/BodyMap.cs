using System.Globalization;
using System.Net;
using System.Text;

namespace Attune.Infrastructure.Charts;

/// <summary>One place on the body map: its id (side:part), its name for people and screen readers, and its shape.</summary>
public sealed record BodyRegionInfo(string Id, string Name, string Side, string Shape);

/// <summary>
/// The body map: a simple figure seen from the front and from the back, each part a region a
/// person can tap, click or reach by keyboard. Shared by the editor (interactive) and by the
/// entry view, where each region is shaded by its intensity.
/// </summary>
public static class BodyMap
{
    public const int MaxRegions = 40;
    public const int MaxSensations = 16;
    public const int MaxWordLength = 40;

    /// <summary>Sensation words offered as choices; people can add their own words too.</summary>
    public static readonly IReadOnlyList<string> Sensations =
    [
        "tight", "tense", "heavy", "light", "hot", "warm", "cold", "numb", "tingling", "buzzing", "shaky", "restless",
        "aching", "sore", "pressure", "hollow", "fluttering", "racing", "queasy", "frozen", "open", "calm", "soft", "still",
    ];

    private static string Rect(double x, double y, double w, double h, double r = 8) =>
        string.Create(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"{r}\"/>");

    private static string Ellipse(double cx, double cy, double rx, double ry) =>
        string.Create(CultureInfo.InvariantCulture, $"<ellipse cx=\"{cx}\" cy=\"{cy}\" rx=\"{rx}\" ry=\"{ry}\"/>");

    private static IEnumerable<BodyRegionInfo> Side(string side, string label, double x)
    {
        var front = side == "front";
        yield return new($"{side}:head", front ? "Head and face" : "Back of the head", side, Ellipse(x + 100, 42, 28, 34));
        yield return new($"{side}:neck", front ? "Throat" : "Neck", side, Rect(x + 88, 76, 24, 18, 4));
        yield return new($"{side}:{(front ? "chest" : "upper-back")}", front ? "Chest" : "Upper back and shoulders", side, Rect(x + 62, 96, 76, 56, 12));
        yield return new($"{side}:{(front ? "stomach" : "mid-back")}", front ? "Stomach" : "Middle of the back", side, Rect(x + 66, 152, 68, 42, 6));
        yield return new($"{side}:{(front ? "belly" : "lower-back")}", front ? "Lower belly and hips" : "Lower back and hips", side, Rect(x + 66, 194, 68, 38, 10));
        // Seen from the front, the person's left arm is on the viewer's right; from the back, on the left.
        var (leftX, rightX) = front ? (x + 140, x + 40) : (x + 40, x + 140);
        yield return new($"{side}:left-arm", $"Left arm ({label})", side, Rect(leftX, 98, 20, 112, 9));
        yield return new($"{side}:right-arm", $"Right arm ({label})", side, Rect(rightX, 98, 20, 112, 9));
        yield return new($"{side}:left-hand", $"Left hand ({label})", side, Ellipse(leftX + 10, 224, 12, 14));
        yield return new($"{side}:right-hand", $"Right hand ({label})", side, Ellipse(rightX + 10, 224, 12, 14));
        var (leftLeg, rightLeg) = front ? (x + 102, x + 68) : (x + 68, x + 102);
        yield return new($"{side}:left-leg", $"Left leg ({label})", side, Rect(leftLeg, 234, 30, 130, 10));
        yield return new($"{side}:right-leg", $"Right leg ({label})", side, Rect(rightLeg, 234, 30, 130, 10));
        yield return new($"{side}:{(front ? "feet" : "heels")}", front ? "Feet" : "Heels and soles", side, Rect(x + 66, 368, 68, 20, 8));
    }

    public static readonly IReadOnlyList<BodyRegionInfo> Regions = [.. Side("front", "front", 0), .. Side("back", "back", 220)];

    private static readonly Dictionary<string, BodyRegionInfo> ById = Regions.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public static BodyRegionInfo? Find(string? id) => id is not null && ById.TryGetValue(id, out var r) ? r : null;

    /// <summary>
    /// The map as SVG. Interactive: each region is a toggle button for the editor's script.
    /// Otherwise each region is shaded by intensity (0–10) and named in its title.
    /// </summary>
    public static string Svg(IReadOnlyDictionary<string, int>? intensities, bool interactive, string labelledBy)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"body-map\" viewBox=\"0 0 420 412\" role=\"{(interactive ? "group" : "img")}\" aria-labelledby=\"{labelledBy}\" focusable=\"false\">");
        sb.Append("<text x=\"100\" y=\"408\" text-anchor=\"middle\" class=\"body-map-side\" aria-hidden=\"true\">Front</text>");
        sb.Append("<text x=\"320\" y=\"408\" text-anchor=\"middle\" class=\"body-map-side\" aria-hidden=\"true\">Back</text>");
        foreach (var r in Regions)
        {
            var name = WebUtility.HtmlEncode(r.Name);
            if (interactive)
            {
                var pressed = intensities?.ContainsKey(r.Id) == true ? "true" : "false";
                sb.Append(CultureInfo.InvariantCulture, $"<g class=\"body-region\" data-region=\"{r.Id}\" role=\"button\" tabindex=\"0\" aria-pressed=\"{pressed}\" aria-label=\"{name}\">{r.Shape}</g>");
            }
            else
            {
                var level = intensities?.GetValueOrDefault(r.Id, -1) ?? -1;
                var title = level < 0 ? name : $"{name}: intensity {level} of 10";
                if (level < 0) sb.Append(CultureInfo.InvariantCulture, $"<g class=\"body-region\"><title>{title}</title>{r.Shape}</g>");
                else sb.Append(CultureInfo.InvariantCulture, $"<g class=\"body-region marked\" data-intensity=\"{level}\" fill-opacity=\"{0.2 + level * 0.08:0.00}\"><title>{title}</title>{r.Shape}</g>");
            }
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
