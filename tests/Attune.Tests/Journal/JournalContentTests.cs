using Attune.Features.Assessments;
using Attune.Features.Journal;
using Attune.Infrastructure.Images;
using Attune.Tests.Support;

namespace Attune.Tests.Journal;

public sealed class JournalContentTests
{
    [Fact]
    public void ThePromptLibrary_HasAtLeast60Prompts_EachFittingAPhaseOrAPattern()
    {
        var prompts = new Prompts();
        var patterns = new Instruments().Find("signs")!.Patterns!.Select(p => p.Code).ToHashSet();
        Assert.True(prompts.All.Count >= 60, $"Only {prompts.All.Count} prompts");
        Assert.Equal(prompts.All.Count, prompts.All.Select(p => p.Id).Distinct().Count());
        foreach (var p in prompts.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Text), p.Id);
            Assert.True(p.Text.Length <= 240, $"{p.Id} is long for a prompt");
            Assert.True(p.Phase is null or (>= 1 and <= 4), p.Id);
            Assert.True(p.Pattern is null || patterns.Contains(p.Pattern), $"{p.Id} names an unknown pattern {p.Pattern}");
        }
        for (var phase = 1; phase <= 4; phase++) Assert.True(prompts.All.Count(p => p.Phase == phase) >= 6, $"Phase {phase} has few prompts");
        foreach (var code in patterns) Assert.True(prompts.All.Count(p => p.Pattern == code) >= 3, $"Pattern {code} has few prompts");
    }

    [Fact]
    public void ASuggestion_FitsThePhaseOrPattern_AndAvoidsRecentPrompts()
    {
        var prompts = new Prompts();
        var random = new Random(4);
        var recent = prompts.All.Where(p => p.Phase == 3).Take(7).Select(p => p.Id).ToHashSet();
        for (var i = 0; i < 50; i++)
        {
            var p = prompts.Suggest(3, ["boundaries"], recent, random);
            Assert.True(p.Phase == 3 || p.Pattern == "boundaries", p.Id);
            Assert.DoesNotContain(p.Id, recent);
        }
    }

    [Theory]
    [InlineData("I want to die", true)]
    [InlineData("Sometimes I think about killing myself.", true)]
    [InlineData("I've been thinking about SUICIDE again", true)]
    [InlineData("everyone would be better off without me", true)]
    [InlineData("I don’t want to be here anymore", true)]
    [InlineData("I hurt myself last night", true)]
    [InlineData("I could kill for a coffee", false)]
    [InlineData("That joke! I nearly killed myself laughing.", false)]
    [InlineData("The presentation killed me, but it went fine", false)]
    [InlineData("I'm dying to see the new film", false)]
    [InlineData("We watched Suicide Squad", false)]
    [InlineData("My grandmother died when I was seven", false)]
    [InlineData("diet plans", false)]
    public void CrisisWords_AreNoticed_AndEverydaySayingsAreNot(string text, bool expected) =>
        Assert.Equal(expected, new CrisisLanguage().Mentions([text]));

    [Fact]
    public void EveryCrisisPhrase_IsNoticedWherever_ItStands_AndNotInsideOtherWords()
    {
        // The check looks for each phrase's first word, then tries the phrases there. Every phrase in
        // the file must still be found after decoys that hold first words inside other words
        // ("weekend", "knowing", "wanted"), across line breaks, and at either end of the text.
        var crisis = new CrisisLanguage();
        var file = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Content", "journal", "crisis-phrases.json")));
        var phrases = file.RootElement.GetProperty("phrases").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.True(phrases.Count >= 30);
        const string decoys = "The weekend was long, knowing nobody wanted to take the bus. A friend said no. ";
        foreach (var phrase in phrases)
        {
            Assert.True(crisis.Mentions([phrase]), phrase);
            Assert.True(crisis.Mentions([decoys + phrase.ToUpperInvariant() + "."]), phrase);
            Assert.True(crisis.Mentions([decoys + phrase.Replace(" ", "\n  ", StringComparison.Ordinal) + " " + decoys]), phrase);
            Assert.False(crisis.Mentions([decoys + "x" + phrase + " " + decoys]), "x" + phrase);
            Assert.False(crisis.Mentions([decoys + phrase + "x"]), phrase + "x");
        }
        Assert.False(crisis.Mentions([decoys]));
    }

    [Fact]
    public void ThePngCheck_ReadsTheHeader_AndRefusesDamagedOrForeignFiles()
    {
        var png = TestImages.Png(width: 12, height: 9);
        var (image, problem) = ImageCheck.Check(png, allowJpeg: false, 1 << 20);
        Assert.Null(problem);
        Assert.Equal((12, 9), (image!.Width, image.Height));
        var decoded = PngPixels.Decode(png)!;
        Assert.Equal(12 * 9 * 3, decoded.Rgb.Length);

        var damaged = (byte[])png.Clone();
        damaged[40] ^= 0xFF; // inside IDAT: the chunk's CRC no longer matches
        Assert.NotNull(ImageCheck.Check(damaged, false, 1 << 20).Problem);
        Assert.NotNull(ImageCheck.Check(png[..30], false, 1 << 20).Problem);
        Assert.NotNull(ImageCheck.Check(TestImages.Jpeg(), allowJpeg: false, 1 << 20).Problem);
        Assert.Null(ImageCheck.Check(TestImages.Jpeg(), allowJpeg: true, 1 << 20).Problem);
        Assert.NotNull(ImageCheck.Check("GIF89a......"u8.ToArray(), true, 1 << 20).Problem);
        Assert.NotNull(ImageCheck.Check(png, false, 100).Problem);
    }
}
