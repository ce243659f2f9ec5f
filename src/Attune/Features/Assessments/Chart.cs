using System.Globalization;
using Attune.Infrastructure.Charts;

namespace Attune.Features.Assessments;

/// <summary>
/// A small line chart drawn on the server: no script, nothing to load, readable in print. The chart
/// is an image with a text title; the page shows the same numbers in a table. Its labels (0, the
/// highest score, the first and last dates) keep the body-small size however narrow the screen.
/// </summary>
public static class Chart
{
    private const int Width = 320, Height = 120, Pad = 24;

    public static string Line(string title, IReadOnlyList<(DateTimeOffset At, int Value)> points, int max)
    {
        var c = new ChartScene(Width, Height).Plot(Pad, 12, 4, 12);
        c.Line(Pad, Y(0, max), Width - 4, Y(0, max));
        c.Line(Pad, Y(max, max), Width - 4, Y(max, max), "grid");
        c.Label(2, Y(0, max) + 4, "0").Label(2, Y(max, max) + 4, max.ToString(CultureInfo.InvariantCulture));
        var coords = points.Select((p, i) => (X: X(i, points.Count), Y: Y(p.Value, max))).ToList();
        c.Poly(coords, "line");
        foreach (var (x, y) in coords) c.Dot(x, y, 3.5);
        static string Day(DateTimeOffset at) => at.ToString("d MMM", CultureInfo.InvariantCulture);
        if (points.Count == 1) c.Label(X(0, 1), Height, Day(points[0].At), "middle");
        else if (points.Count > 1) c.Label(Pad, Height, Day(points[0].At)).Label(Width - 4, Height, Day(points[^1].At), "end");
        return c.ToHtml(title);
    }

    private static double X(int index, int count) => count <= 1 ? (Width + Pad) / 2.0 : Pad + 8 + index * (Width - Pad - 20) / (double)(count - 1);

    private static double Y(int value, int max) => Height - 12 - (max == 0 ? 0 : value * (Height - 24) / (double)max);
}
