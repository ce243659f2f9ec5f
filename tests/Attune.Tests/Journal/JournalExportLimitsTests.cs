using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Features.Journal;
using Attune.Infrastructure.Images;
using Attune.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Attune.Tests.Journal;

/// <summary>
/// A PDF export decodes every drawing. These prove its work is bounded by what the page shows,
/// not by what a small upload can claim to be, and that one person runs one export at a time.
/// </summary>
public sealed class JournalExportLimitsTests(AttuneApp app, ITestOutputHelper output) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task TwelveHugeDrawings_AreEmbeddedAtTheSizeTheyAreShown()
    {
        var person = await app.RegisterAsync();
        var png = TestImages.BlankPng(4096, 4096);
        Assert.True(png.Length < 100_000, $"The test drawing is {png.Length} bytes; it should be a small upload.");
        var body = new { kind = "drawing", title = "Big sky", drawing = new { png = Convert.ToBase64String(png) } };
        for (var i = 0; i < 12; i++)
            await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", body), HttpStatusCode.Created);

        // Figures for the record only (docs/security.md); nothing here depends on the machine's speed.
        var allocated = GC.GetTotalAllocatedBytes();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await person.Api.GetAsync("/api/v1/journal/export?format=pdf");
        var pdf = await response.Content.ReadAsByteArrayAsync();
        output.WriteLine($"PDF of twelve {png.Length / 1024} KB 4096 × 4096 drawings: {clock.ElapsedMilliseconds} ms, {pdf.Length / 1024} KB, {(GC.GetTotalAllocatedBytes() - allocated) / (1024 * 1024)} MiB allocated in the test process");
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(pdf));
        var images = PdfText.Images(pdf);
        // Twelve identical drawings: PDFsharp stores one image and draws it on each of the twelve pages.
        Assert.Single(images);
        if (PdfText.Available) Assert.Equal(12, PdfText.ImagesDrawn(pdf));
        // Shown at most 483 × 360 points, so at most 966 × 720 pixels at 2 pixels a point.
        foreach (var (width, height) in images)
            Assert.True(width <= 1000 && height <= 1000, $"An image was embedded at {width} × {height}.");
        Assert.True(pdf.Length < 2_000_000, $"The PDF is {pdf.Length} bytes.");
        if (PdfText.Available) Assert.Contains("Big sky", PdfText.Extract(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APhotoOfALetter_GoesIntoThePdfAsTheJpegItIs()
    {
        var person = await app.RegisterAsync();
        var photo = TestImages.Jpeg(64, 48);
        var body = new { kind = "letter", title = "Dear little one", text = "x", letter = new { direction = "toYounger", age = 7, photo = Convert.ToBase64String(photo) } };
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", body), HttpStatusCode.Created);

        var pdf = await (await person.Api.GetAsync("/api/v1/journal/export?format=pdf")).Content.ReadAsByteArrayAsync();
        Assert.Equal((64, 48), Assert.Single(PdfText.Images(pdf)));
        Assert.Contains("/DCTDecode", Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);
        if (PdfText.Available) Assert.DoesNotContain("could not be placed", PdfText.Extract(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AParagraphLongerThanAPage_RunsOnToTheNextPage_AndReadsBackWhole()
    {
        var person = await app.RegisterAsync();
        var text = string.Join(' ', Enumerable.Range(1, 900).Select(i => $"word{i}")) + " Ἀρχή конец señal";
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "Long", text }), HttpStatusCode.Created);

        var response = await person.Api.GetAsync("/api/v1/journal/export?format=pdf");
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(System.Text.RegularExpressions.Regex.Count(Encoding.Latin1.GetString(pdf), @"/Type\s*/Page(?![a-z])") >= 2);
        if (!PdfText.Available) return;
        var read = PdfText.Extract(pdf);
        foreach (var word in new[] { "word1 ", "word450 ", "word900 ", "Ἀρχή конец señal" }) Assert.Contains(word, read, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoding_AveragesBoxesOfPixels_DownToTheSizeAsked()
    {
        var pixels = PngPixels.Decode(TestImages.BlankPng(800, 800), 100, 100)!;
        Assert.Equal((100, 100), (pixels.Width, pixels.Height));
        Assert.Equal(100 * 100 * 3, pixels.Rgb.Length);
        Assert.Equal(255, pixels.Rgb[0]); // a white corner
        Assert.Equal(0, pixels.Rgb[(50 * 100 + 50) * 3]); // the dark square in the middle
        Assert.All(pixels.Alpha!, a => Assert.Equal(255, a));

        var wide = PngPixels.Decode(TestImages.Png(40, 30, seed: 3), 20, 1000)!;
        Assert.Equal((20, 15), (wide.Width, wide.Height)); // shape kept, never scaled up
        var same = PngPixels.Decode(TestImages.Png(40, 30, seed: 3))!;
        Assert.Equal((40, 30), (same.Width, same.Height));
    }

    [Fact]
    public async Task WhileOneExportRuns_ASecondByThePersonAnswers429_AndOthersAreNotHeld()
    {
        var person = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "One line." }), HttpStatusCode.Created);
        var gate = app.Services.GetRequiredService<ExportGate>();
        using var pages = await app.SignInPagesAsync(person.Email);

        // The place a running export holds: taken here so "while it runs" doesn't depend on timing.
        using (var running = gate.TryStart(person.Id))
        {
            Assert.NotNull(running);
            foreach (var format in new[] { "pdf", "zip" })
            {
                var busy = await person.Api.GetAsync($"/api/v1/journal/export?format={format}");
                var problem = JsonDocument.Parse(await Expect.StatusAsync(busy, HttpStatusCode.TooManyRequests)).RootElement;
                Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
                Assert.Equal(ExportGate.BusyTitle, problem.GetProperty("title").GetString());
            }
            Assert.Equal(HttpStatusCode.TooManyRequests, (await pages.Http.GetAsync("/journal/export?handler=Pdf")).StatusCode);
            await Expect.StatusAsync(await other.Api.GetAsync("/api/v1/journal/export?format=pdf"), HttpStatusCode.OK);
        }
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/journal/export?format=pdf"), HttpStatusCode.OK);

        // Two at once for real: never both made, and the place is free again afterwards.
        var both = await Task.WhenAll(person.Api.GetAsync("/api/v1/journal/export?format=zip"), person.Api.GetAsync("/api/v1/journal/export?format=zip"));
        Assert.Contains(both, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(both, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
        using var after = gate.TryStart(person.Id);
        Assert.NotNull(after);
    }
}
