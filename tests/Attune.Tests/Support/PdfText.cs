using System.Diagnostics;

namespace Attune.Tests.Support;

/// <summary>The text of a PDF as a reader sees it, through poppler's pdftotext (.ci/run installs poppler-utils).</summary>
public static class PdfText
{
    public static bool Available => File.Exists("/usr/bin/pdftotext");

    public static string Extract(byte[] pdf)
    {
        if (!Available) return "(pdftotext is not installed; install poppler-utils)";
        var file = Path.Combine(Path.GetTempPath(), $"attune-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", $"\"{file}\" -") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException("pdftotext could not read the PDF: " + process.StandardError.ReadToEnd());
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
