using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Attune.Infrastructure.Pdf;

namespace Attune.Infrastructure.Charts;

/// <summary>
/// A chart as a list of simple shapes in its own box (y grows downwards), drawn two ways from
/// the same numbers: inline SVG for pages (styled by CSS classes, no script) and vector drawing
/// in the PDF report. Each page shows the same numbers as a table beside the chart.
/// </summary>
public sealed class ChartScene(double width, double height)
{
    private abstract record Shape(string Class);
    private sealed record LineShape(double X1, double Y1, double X2, double Y2, string Class) : Shape(Class);
    private sealed record PolyShape(IReadOnlyList<(double X, double Y)> Points, string Class) : Shape(Class);
    private sealed record RectShape(double X, double Y, double W, double H, string Class, double Strength) : Shape(Class);
    private sealed record DotShape(double X, double Y, double R, string Class) : Shape(Class);
    private sealed record LabelShape(double X, double Y, string Text, string Class, string Anchor) : Shape(Class);

    private readonly List<Shape> _shapes = [];

    public double Width => width;
    public double Height => height;

    public ChartScene Line(double x1, double y1, double x2, double y2, string cls = "axis") { _shapes.Add(new LineShape(x1, y1, x2, y2, cls)); return this; }
    public ChartScene Poly(IReadOnlyList<(double X, double Y)> points, string cls) { if (points.Count > 1) _shapes.Add(new PolyShape(points, cls)); return this; }
    /// <summary>A filled box; <paramref name="strength"/> (0–1) fades it towards the background, for heat maps.</summary>
    public ChartScene Rect(double x, double y, double w, double h, string cls = "bar", double strength = 1) { _shapes.Add(new RectShape(x, y, w, h, cls, strength)); return this; }
    public ChartScene Dot(double x, double y, double r = 3, string cls = "dot") { _shapes.Add(new DotShape(x, y, r, cls)); return this; }
    /// <summary>Text with its baseline at y; anchor is start, middle or end.</summary>
    public ChartScene Label(double x, double y, string text, string anchor = "start", string cls = "tick") { _shapes.Add(new LabelShape(x, y, text, cls, anchor)); return this; }

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public string ToSvg(string label)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {N(width)} {N(height)}\" role=\"img\" aria-label=\"{HtmlEncoder.Default.Encode(label)}\" xmlns=\"http://www.w3.org/2000/svg\">");
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
                case LabelShape t:
                    sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(t.X)}\" y=\"{N(t.Y)}\" text-anchor=\"{t.Anchor}\" class=\"{t.Class}\">{HtmlEncoder.Default.Encode(t.Text)}</text>");
                    break;
            }
        }
        return sb.Append("</svg>").ToString();
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
        });
    }
}
