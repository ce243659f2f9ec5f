using Attune.Infrastructure.Pdf;

namespace Attune.Features.Safety;

/// <summary>The safety plan as a PDF, to print or keep on a phone. Without a font (see <see cref="PdfFonts"/>), the page offers printing only.</summary>
public sealed class SafetyPlanPdf(PdfFonts fonts)
{
    public bool Available => fonts.Available;

    public byte[] Render(SafetyPlanDto plan, CrisisAnswer crisis)
    {
        using var pdf = fonts.NewDocument("My safety plan");
        pdf.Heading(1, "My safety plan", 20, after: 4);
        pdf.Text("Keep this where you can find it quickly. Start at the top, and keep going until you feel safer.", 10, after: 10);
        var number = 1;
        foreach (var part in SafetyPlanSections.All)
        {
            pdf.Heading(2, $"{number++}. {part.Title}", 13, after: 2);
            var items = part.Items(plan);
            if (items.Count == 0) pdf.Text("(nothing here yet)", 10, indent: 12);
            foreach (var item in items) pdf.Text("•  " + item, 11, indent: 12);
            pdf.Text("", 6);
        }
        pdf.Heading(2, "If you are in danger right now", 13, after: 2);
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
