using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Attune.Infrastructure.Pdf;

namespace Attune.Infrastructure.Charts;

/// <summary>
/// A chart as a list of simple shapes in its own box (y grows downwards), drawn two ways from
/// the same numbers: HTML with inline SVG for pages (styled by CSS classes, no script) and vector
/// drawing in the PDF report. Each page shows the same numbers as a table beside the chart.
/// </summary>
/// <remarks>
/// On a page the plot (the box less the margins given to <see cref="Plot"/>) scales with the width
/// of the screen, but its labels must not: SVG text inside a scaled viewBox shrinks with it, to 9 px
/// on a phone. So the labels are drawn in two unscaled SVGs beside the plot, one to its left (every
/// label left of the plot: the value axis, row names) and one under it (every other label), each at
/// the same fraction of the plot's height or width as in the box, in CSS pixels at the body-small
/// size. The strict CSP allows no style attributes, and SVG positions need none.
/// </remarks>
public sealed class ChartScene(double width, double height)
{
    private abstract record Shape(string Class);
    private sealed record LineShape(double X1, double Y1, double X2, double Y2, string Class) : Shape(Class);
    private sealed record PolyShape(IReadOnlyList<(double X, double Y)> Points, string Class) : Shape(Class);
    private sealed record RectShape(double X, double Y, double W, double H, string Class, double Strength) : Shape(Class);
    private sealed record DotShape(double X, double Y, double R, string Class) : Shape(Class);
    private sealed record LabelShape(double X, double Y, string Text, string Class, string Anchor) : Shape(Class);

    private readonly List<Shape> _shapes = [];
    private readonly List<(string Class, string Text)> _keys = [];
    private (double Left, double Top, double Right, double Bottom) _margin;

    public double Width => width;
    public double Height => height;

    /// <summary>The margins of the box that hold labels rather than data; the page draws only the rest as the plot.</summary>
    public ChartScene Plot(double left, double top, double right, double bottom) { _margin = (left, top, right, bottom); return this; }
    public ChartScene Line(double x1, double y1, double x2, double y2, string cls = "axis") { _shapes.Add(new LineShape(x1, y1, x2, y2, cls)); return this; }
    public ChartScene Poly(IReadOnlyList<(double X, double Y)> points, string cls) { if (points.Count > 1) _shapes.Add(new PolyShape(points, cls)); return this; }
    /// <summary>A filled box; <paramref name="strength"/> (0–1) fades it towards the background, for heat maps.</summary>
    public ChartScene Rect(double x, double y, double w, double h, string cls = "bar", double strength = 1) { _shapes.Add(new RectShape(x, y, w, h, cls, strength)); return this; }
    public ChartScene Dot(double x, double y, double r = 3, string cls = "dot") { _shapes.Add(new DotShape(x, y, r, cls)); return this; }
    /// <summary>Text with its baseline at y; anchor is start, middle or end.</summary>
    public ChartScene Label(double x, double y, string text, string anchor = "start", string cls = "tick") { _shapes.Add(new LabelShape(x, y, text, cls, anchor)); return this; }
    /// <summary>A line's name in the key: above the plot on a page, along its top in the PDF.</summary>
    public ChartScene Key(string cls, string text) { _keys.Add((cls, text)); return this; }

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Pct(double v) => N(Math.Clamp(v, 0, 1) * 100) + "%";

    /// <summary>
    /// The chart for a page: one image named by <paramref name="label"/> (its parts are hidden from
    /// screen readers; the table beside it has the numbers). <paramref name="modifier"/> is an extra
    /// class; with <paramref name="stretch"/> the plot takes its height from CSS instead of keeping its
    /// shape, for cells that must stay as tall as a label (a heat map's rows).
    /// </summary>
    public string ToHtml(string label, string? modifier = null, bool stretch = false)
    {
        var (left, top, right, bottom) = _margin;
        double plotW = width - left - right, plotH = height - top - bottom;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"chart{(modifier is null ? "" : " " + modifier)}\" role=\"img\" aria-label=\"{HtmlEncoder.Default.Encode(label)}\">");
        if (_keys.Count > 0)
        {
            sb.Append("<div class=\"chart-keys\" aria-hidden=\"true\">");
            foreach (var (cls, text) in _keys)
                sb.Append(CultureInfo.InvariantCulture, $"<span class=\"chart-key\"><svg class=\"chart-swatch\" viewBox=\"0 0 16 4\"><rect width=\"16\" height=\"4\" class=\"{cls}\"/></svg>{HtmlEncoder.Default.Encode(text)}</span>");
            sb.Append("</div>");
        }
        var labels = _shapes.OfType<LabelShape>().ToList();
        var side = labels.Where(t => t.X < left).ToList();
        var under = labels.Where(t => t.X >= left).ToList();

        sb.Append("<div class=\"chart-body\">");
        // The value axis: as wide as its longest label, each label centred on the height it marks.
        var longest = side.Count == 0 ? 0 : side.Max(t => t.Text.Length);
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart-axis chart-side\" width=\"{N(longest * 0.62 + 0.5)}em\" aria-hidden=\"true\">");
        foreach (var t in side)
            // Labels were placed by their baseline for 10-unit text; their middle is about 3.5 units higher.
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"100%\" dx=\"-6\" y=\"{Pct((t.Y - 3.5 - top) / plotH)}\" dominant-baseline=\"central\" text-anchor=\"end\" class=\"{t.Class}\">{HtmlEncoder.Default.Encode(t.Text)}</text>");
        sb.Append("</svg>");

        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart-plot\" viewBox=\"{N(left)} {N(top)} {N(plotW)} {N(plotH)}\"{(stretch ? " preserveAspectRatio=\"none\"" : "")} aria-hidden=\"true\">");
        foreach (var shape in _shapes)
        {
            switch (shape)
            {
                case LineShape l:
                    sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(l.X1)}\" y1=\"{N(l.Y1)}\" x2=\"{N(l.X2)}\" y2=\"{N(l.Y2)}\" class=\"{l.Class}\"/>");
                    break;
                case PolyShape p:
                    sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"{p.Class}\" points=\"").AppendJoin(' ', p.Points.Select(x => N(x.X) + "," + N(x.Y))).Append("\"/>");
                    break;
                case RectShape r:
                    sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(r.X)}\" y=\"{N(r.Y)}\" width=\"{N(r.W)}\" height=\"{N(r.H)}\" class=\"{r.Class}\"");
                    if (r.Strength < 1) sb.Append(CultureInfo.InvariantCulture, $" fill-opacity=\"{N(r.Strength)}\"");
                    sb.Append("/>");
                    break;
                case DotShape d:
                    sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(d.X)}\" cy=\"{N(d.Y)}\" r=\"{N(d.R)}\" class=\"{d.Class}\"/>");
                    break;
            }
        }
        sb.Append("</svg>");

        if (under.Count > 0)
        {
            sb.Append("<svg class=\"chart-axis chart-under\" aria-hidden=\"true\">");
            foreach (var t in under)
            {
                var at = (t.X - left) / plotW;
                // A label centred on the first or last slot would spill past the chart's edge (and make a phone's page scroll sideways): it ends there instead.
                var anchor = t.Anchor == "middle" && at > 0.95 ? "end" : t.Anchor == "middle" && at < 0.05 ? "start" : t.Anchor;
                if (anchor != t.Anchor) at = anchor == "end" ? 1 : 0;
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Pct(at)}\" y=\"1.1em\" text-anchor=\"{anchor}\" class=\"{t.Class}\">{HtmlEncoder.Default.Encode(t.Text)}</text>");
            }
            sb.Append("</svg>");
        }
        return sb.Append("</div></div>").ToString();
    }

    /// <summary>Colours for the PDF, matching the site's chart styles.</summary>
    private static (double R, double G, double B) Colour(string cls) => cls.Split(' ')[^1] switch
    {
        "empty" => (0.94, 0.94, 0.94),
        "axis" => (0.45, 0.45, 0.45),
        "grid" => (0.85, 0.85, 0.85),
        "mean" or "line-2" => (0.55, 0.27, 0.07),
        "line-3" => (0.33, 0.24, 0.55),
        "tick" or "label" => (0.2, 0.2, 0.2),
        _ => (0.09, 0.42, 0.42),
    };

    public void Draw(PdfDocumentWriter pdf, double pdfWidth)
    {
        var scale = pdfWidth / width;
        pdf.Graphic(height * scale, (canvas, left, top) =>
        {
            double X(double x) => left + x * scale;
            double Y(double y) => top + y * scale;
            foreach (var shape in _shapes)
            {
                var c = Colour(shape.Class);
                switch (shape)
                {
                    case LineShape l:
                        canvas.Stroke(c, shape.Class == "grid" ? 0.5 : 0.8, [(X(l.X1), Y(l.Y1)), (X(l.X2), Y(l.Y2))]);
                        break;
                    case PolyShape p:
                        canvas.Stroke(c, 1.5, p.Points.Select(x => (X(x.X), Y(x.Y))).ToList());
                        break;
                    case RectShape r:
                        var faded = (1 - (1 - c.R) * r.Strength, 1 - (1 - c.G) * r.Strength, 1 - (1 - c.B) * r.Strength);
                        canvas.Fill(faded, X(r.X), Y(r.Y), r.W * scale, r.H * scale);
                        break;
                    case DotShape d:
                        canvas.Dot(c, X(d.X), Y(d.Y), d.R * scale);
                        break;
                    case LabelShape t:
                        canvas.Text(t.Text, X(t.X), Y(t.Y), 7.5, t.Anchor);
                        break;
                }
            }
            // The key along the plot's top, 90 units a line.
            var keyX = _margin.Left + 4;
            foreach (var (cls, text) in _keys)
            {
                canvas.Fill(Colour(cls), X(keyX), Y(_margin.Top - 2), 10 * scale, 4 * scale);
                canvas.Text(text, X(keyX + 13), Y(_margin.Top + 3), 7.5, "start");
                keyX += 90;
            }
        });
    }
}
