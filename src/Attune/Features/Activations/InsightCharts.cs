using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Attune.Infrastructure.Charts;

namespace Attune.Features.Activations;

/// <summary>The insight charts, built once from the numbers and drawn as SVG or into the PDF report.</summary>
public static class InsightCharts
{
    private const double W = 480, H = 190, Left = 34, Right = 10, Top = 12, Bottom = 30;
    public static readonly string[] WeekdayShort = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    private static double Px(DateOnly day, DateOnly from, DateOnly to) =>
        Left + (to == from ? 0.5 : (day.DayNumber - from.DayNumber) / (double)(to.DayNumber - from.DayNumber)) * (W - Left - Right);

    private static void TimeAxis(ChartScene c, DateOnly from, DateOnly to)
    {
        c.Line(Left, H - Bottom, W - Right, H - Bottom);
        c.Label(Left, H - Bottom + 16, Insights.Date(from), "start");
        c.Label(W - Right, H - Bottom + 16, Insights.Date(to), "end");
    }

    private static void ValueAxis(ChartScene c, int max, string unit = "")
    {
        double Y(double v) => H - Bottom - v / max * (H - Top - Bottom);
        foreach (var v in new[] { 0, max / 2, max })
        {
            c.Line(Left, Y(v), W - Right, Y(v), v == 0 ? "axis" : "grid");
            c.Label(Left - 4, Y(v) + 3, v.ToString(CultureInfo.InvariantCulture) + unit, "end");
        }
    }

    /// <summary>Intensity over time: each bucket's mean as a dot, the rolling mean as a line.</summary>
    public static ChartScene Intensity(ActivationInsights i)
    {
        var c = new ChartScene(W, H).Plot(Left, Top, Right, Bottom);
        ValueAxis(c, 10);
        TimeAxis(c, i.From, i.To);
        double Y(double v) => H - Bottom - v / 10 * (H - Top - Bottom);
        foreach (var p in i.Trend) c.Dot(Px(p.Start, i.From, i.To), Y(p.MeanIntensity), 4);
        c.Poly(i.Trend.Select(p => (Px(p.Start, i.From, i.To), Y(p.RollingMean))).ToList(), "mean");
        return c;
    }

    /// <summary>
    /// How many reactions per pattern, for a page: each pattern's name on its own line over its bar
    /// and count, so a long name neither squeezes the bar nor shrinks to fit beside it on a phone.
    /// </summary>
    public static string PatternsHtml(ActivationInsights i, string label)
    {
        var max = Math.Max(1, i.Patterns.Count == 0 ? 1 : i.Patterns.Max(p => p.Count));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"chart chart-bars\" role=\"img\" aria-label=\"{HtmlEncoder.Default.Encode(label)}\">");
        foreach (var p in i.Patterns)
        {
            // The bar is the share of the longest, drawn in a 100-unit track that stretches to the row.
            var share = Math.Max(1, 100.0 * p.Count / max).ToString("0.#", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"chart-bar-row\"><span class=\"chart-bar-name\">{HtmlEncoder.Default.Encode(p.Name)}</span>")
                .Append(CultureInfo.InvariantCulture, $"<svg class=\"chart-bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect width=\"100\" height=\"10\" class=\"empty\"/><rect width=\"{share}\" height=\"10\" class=\"bar\"/></svg>")
                .Append(CultureInfo.InvariantCulture, $"<span class=\"chart-bar-value\">{p.Count}</span></div>");
        }
        return sb.Append("</div>").ToString();
    }

    /// <summary>How many reactions per pattern, as horizontal bars (for the PDF report).</summary>
    public static ChartScene Patterns(ActivationInsights i)
    {
        var rows = Math.Max(1, i.Patterns.Count);
        const double row = 22, labelWidth = 205;
        var c = new ChartScene(W, Top + rows * row + 6);
        var max = Math.Max(1, i.Patterns.Count == 0 ? 1 : i.Patterns.Max(p => p.Count));
        for (var n = 0; n < i.Patterns.Count; n++)
        {
            var p = i.Patterns[n];
            var y = Top + n * row;
            c.Label(labelWidth - 6, y + 13, p.Name, "end");
            var width = p.Count / (double)max * (W - labelWidth - 40);
            c.Rect(labelWidth, y + 2, Math.Max(1, width), row - 8);
            c.Label(labelWidth + width + 4, y + 13, p.Count.ToString(CultureInfo.InvariantCulture));
        }
        return c;
    }

    /// <summary>How old the person felt: one bar per age 0–18, and one for "not sure".</summary>
    public static ChartScene FeltAges(ActivationInsights i)
    {
        var c = new ChartScene(W, H).Plot(Left, Top, Right, Bottom);
        var counts = i.FeltAges.ToDictionary(a => a.Age ?? -1, a => a.Count);
        var max = Math.Max(1, counts.Count == 0 ? 1 : counts.Values.Max());
        var slot = (W - Left - Right) / 20.0;
        c.Line(Left, H - Bottom, W - Right, H - Bottom);
        for (var n = 0; n < 20; n++)
        {
            var age = n == 19 ? -1 : n;
            var x = Left + n * slot;
            var count = counts.GetValueOrDefault(age);
            var h = count / (double)max * (H - Top - Bottom);
            if (count > 0) c.Rect(x + 2, H - Bottom - h, slot - 4, h);
            if (n % 3 == 0 || n == 19) c.Label(x + slot / 2, H - Bottom + 14, n == 19 ? "?" : n.ToString(CultureInfo.InvariantCulture), "middle");
        }
        c.Label(Left - 4, Top + 8, max.ToString(CultureInfo.InvariantCulture), "end");
        return c;
    }

    /// <summary>Weekday by hour of day: the more reactions, the stronger the colour.</summary>
    public static ChartScene Heatmap(ActivationInsights i)
    {
        const double left = 34, top = 8, cell = 18;
        var c = new ChartScene(left + 24 * cell + 4, top + 7 * cell + 22).Plot(left, top, 4, 22);
        var max = Math.Max(1, i.Heatmap.Count == 0 ? 1 : i.Heatmap.Max(h => h.Count));
        var counts = i.Heatmap.ToDictionary(h => (h.Weekday, h.Hour), h => h.Count);
        for (var d = 0; d < 7; d++)
        {
            c.Label(left - 4, top + d * cell + 13, WeekdayShort[d], "end");
            for (var h = 0; h < 24; h++)
            {
                var n = counts.GetValueOrDefault((d, h));
                c.Rect(left + h * cell + 1, top + d * cell + 1, cell - 2, cell - 2, n == 0 ? "empty" : "heat", n == 0 ? 1 : 0.15 + 0.85 * n / max);
            }
        }
        foreach (var h in new[] { 0, 6, 12, 18, 23 })
            c.Label(left + h * cell + cell / 2, top + 7 * cell + 14, h.ToString("00", CultureInfo.InvariantCulture), "middle");
        return c;
    }

    /// <summary>Check-in totals as a share of each measure's maximum, on the same time axis as the reactions.</summary>
    public static ChartScene CheckIns(ActivationInsights i)
    {
        var c = new ChartScene(W, H).Plot(Left, Top, Right, Bottom);
        ValueAxis(c, 100, "%");
        TimeAxis(c, i.From, i.To);
        double Y(double v) => H - Bottom - v / 100 * (H - Top - Bottom);
        var styles = new Dictionary<string, string> { ["phq9"] = "line", ["gad7"] = "line-2", ["signs"] = "line-3" };
        foreach (var group in i.CheckIns.GroupBy(x => x.Instrument))
        {
            var cls = styles.GetValueOrDefault(group.Key, "line");
            var points = group.Select(p => (Px(p.Day, i.From, i.To), Y(100.0 * p.Total / p.MaxTotal))).ToList();
            c.Poly(points, cls);
            foreach (var (x, y) in points) c.Dot(x, y, 4, "dot " + cls);
            c.Key(cls, group.First().Name);
        }
        return c;
    }
}
