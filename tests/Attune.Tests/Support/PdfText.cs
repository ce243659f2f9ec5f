using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Attune.Tests.Support;

/// <summary>The text of a PDF as a reader sees it, through poppler's pdftotext (.ci/run installs poppler-utils).</summary>
public static partial class PdfText
{
    public static bool Available => File.Exists("/usr/bin/pdftotext");

    public static string Extract(byte[] pdf) => Run("pdftotext", "-", pdf) ?? "(pdftotext is not installed; install poppler-utils)";

    /// <summary>How many times the PDF's pages draw an image (poppler's pdfimages -list), or -1 without poppler.</summary>
    public static int ImagesDrawn(byte[] pdf) =>
        Run("pdfimages", "-list", pdf) is { } list ? list.Split('\n').Count(l => l.Contains(" image ", StringComparison.Ordinal)) : -1;

    private static string? Run(string tool, string arguments, byte[] pdf)
    {
        if (!Available) return null;
        var file = Path.Combine(Path.GetTempPath(), $"attune-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, tool == "pdfimages" ? $"{arguments} \"{file}\"" : $"\"{file}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException(tool + " could not read the PDF: " + process.StandardError.ReadToEnd());
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"<<(?:(?!>>).)*?/Subtype\s*/Image(?:(?!>>).)*>>", RegexOptions.Singleline)]
    private static partial Regex ImageDictionary();

    [GeneratedRegex(@"/(Width|Height)\s+(\d+)")]
    private static partial Regex Dimension();

    /// <summary>The width and height in pixels of every image the PDF embeds, read from the image dictionaries.</summary>
    public static IReadOnlyList<(int Width, int Height)> Images(byte[] pdf) =>
        [.. ImageDictionary().Matches(Encoding.Latin1.GetString(pdf)).Select(m =>
        {
            var size = Dimension().Matches(m.Value).ToDictionary(d => d.Groups[1].Value, d => int.Parse(d.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            return (size["Width"], size["Height"]);
        })];
}
