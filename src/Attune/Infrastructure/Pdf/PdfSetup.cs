namespace Attune.Infrastructure.Pdf;

public static class PdfSetup
{
    /// <summary>The fonts every PDF is written with (the safety plan, the journal export, the progress report).</summary>
    public static IServiceCollection AddPdf(this IServiceCollection services) => services.AddSingleton<PdfFonts>();
}
