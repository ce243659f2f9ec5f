using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Attune.Features.Assessments;

/// <summary>
/// A small line chart as inline SVG, drawn on the server: no script, nothing to load, readable in
/// print. The chart is an image with a text title; the page shows the same numbers in a table.
/// </summary>
public static class Chart
{
    private const int Width = 320, Height = 120, Pad = 24;

    public static string Line(string title, IReadOnlyList<(DateTimeOffset At, int Value)> points, int max)
    {
        var sb = new StringBuilder();
        var safeTitle = HtmlEncoder.Default.Encode(title);
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{safeTitle}\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Pad}\" y1=\"{Y(0, max)}\" x2=\"{Width - 4}\" y2=\"{Y(0, max)}\" class=\"axis\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Pad}\" y1=\"{Y(max, max)}\" x2=\"{Width - 4}\" y2=\"{Y(max, max)}\" class=\"grid\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"{Y(0, max) + 4}\" class=\"tick\">0</text><text x=\"2\" y=\"{Y(max, max) + 4}\" class=\"tick\">{max}</text>");
        if (points.Count > 0)
        {
            var coords = points.Select((p, i) => (X: X(i, points.Count), Y: Y(p.Value, max))).ToList();
            if (coords.Count > 1)
                sb.Append("<polyline class=\"line\" points=\"").AppendJoin(' ', coords.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.X:0.#},{c.Y:0.#}"))).Append("\"/>");
            foreach (var c in coords) sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot\" cx=\"{c.X:0.#}\" cy=\"{c.Y:0.#}\" r=\"3.5\"/>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static double X(int index, int count) => count <= 1 ? (Width + Pad) / 2.0 : Pad + 8 + index * (Width - Pad - 20) / (double)(count - 1);

    private static double Y(int value, int max) => Height - 12 - (max == 0 ? 0 : value * (Height - 24) / (double)max);
}
