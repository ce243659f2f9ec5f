using Attune.Infrastructure.Pdf;

namespace Attune.Features.Safety;

/// <summary>
/// The safety plan as a PDF, to print or keep on a phone. The font comes from the system (Debian:
/// fonts-dejavu-core) or from <c>Attune:PdfFontDirectory</c>; without one, the page offers printing only.
/// </summary>
public sealed class SafetyPlanPdf(IConfiguration config)
{
    private static readonly string[] Directories =
        ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF", "/Library/Fonts"];

    private readonly Lazy<(TrueTypeFont Regular, TrueTypeFont Bold)?> _fonts = new(() =>
    {
        foreach (var dir in new[] { config["Attune:PdfFontDirectory"] }.Where(d => !string.IsNullOrEmpty(d)).Concat(Directories))
        {
            var (regular, bold) = (Path.Combine(dir!, "DejaVuSans.ttf"), Path.Combine(dir!, "DejaVuSans-Bold.ttf"));
            if (File.Exists(regular) && File.Exists(bold)) return (TrueTypeFont.Load(regular), TrueTypeFont.Load(bold));
        }
        return null;
    });

    public bool Available => _fonts.Value is not null;

    public byte[] Render(SafetyPlanDto plan, CrisisAnswer crisis)
    {
        var (regular, bold) = _fonts.Value ?? throw new InvalidOperationException("No font is available for PDFs.");
        var pdf = new PdfDocumentWriter(regular, bold) { Title = "My safety plan" };
        pdf.Text("My safety plan", 20, isBold: true, after: 4);
        pdf.Text("Keep this where you can find it quickly. Start at the top, and keep going until you feel safer.", 10, after: 10);
        var number = 1;
        foreach (var part in SafetyPlanSections.All)
        {
            pdf.Text($"{number++}. {part.Title}", 13, isBold: true, after: 2);
            var items = part.Items(plan);
            if (items.Count == 0) pdf.Text("(nothing here yet)", 10, indent: 12);
            foreach (var item in items) pdf.Text("•  " + item, 11, indent: 12);
            pdf.Text("", 6);
        }
        pdf.Text("If you are in danger right now", 13, isBold: true, after: 2);
        if (crisis.Local is { } local)
        {
            pdf.Text($"Emergency in {local.Name}: {local.Emergency}", 11, indent: 12);
            foreach (var s in local.Services)
            {
                var ways = new[] { s.Phone is null ? null : "call " + s.Phone, s.Text is null ? null : "text: " + s.Text, s.Chat }.Where(w => w is not null);
                pdf.Text($"•  {s.Name}: {string.Join(" · ", ways)} ({s.Hours})", 11, indent: 12);
            }
        }
        pdf.Text($"Anywhere: {crisis.International.Emergency}.", 11, indent: 12);
        foreach (var s in crisis.International.Services) pdf.Text($"•  {s.Name}: {s.Chat}", 11, indent: 12);
        pdf.Text("", 6);
        pdf.Text("Attune is not a crisis service. This plan follows the structure of the Stanley-Brown Safety Planning Intervention.", 9);
        return pdf.Save();
    }
}
