using Attune.Features.Activations;
using Attune.Features.Assessments;
using Attune.Features.Journey;
using System.Net.Http.Json;
using Attune.Infrastructure.Charts;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Activations;

public sealed class ActivationContentTests
{
    [Fact]
    public void TheMomentWords_HaveReassuranceForEveryPattern_AndASmallWheel()
    {
        var words = new MomentContent();
        var signs = new Instruments().Find("signs")!;
        Assert.True(words.Reassurance["any"].Count >= 2);
        foreach (var p in signs.Patterns!)
        {
            Assert.True(words.Reassurance.TryGetValue(p.Code, out var phrases) && phrases.Count >= 2, $"{p.Code} needs at least two phrases");
            Assert.All(phrases!, s => Assert.InRange(s.Length, 20, 160));
        }
        Assert.All(words.Reassurance.Keys, k => Assert.True(k == "any" || signs.Patterns!.Any(p => p.Code == k), $"{k} is not a pattern"));
        Assert.InRange(words.Emotions.Count, 4, 8);
        var all = words.Emotions.SelectMany(e => e.Words).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(all, w => Assert.InRange(w.Length, 2, Features.Activations.Activations.MaxWord));
        Assert.True(words.Needs.Count >= 6);
    }

    [Fact]
    public void AReassurance_FitsTheFirstPatternThatHasOne()
    {
        var words = new MomentContent();
        for (var pick = 0; pick < 6; pick++)
        {
            Assert.Contains(words.ReassuranceFor(["critic", "needs"], pick), words.Reassurance["critic"]);
            Assert.Contains(words.ReassuranceFor([], pick), words.Reassurance["any"]);
        }
    }

    [Fact]
    public void EveryPatternsPractices_Exist()
    {
        var practices = new Practices();
        foreach (var p in new Instruments().Find("signs")!.Patterns!)
            Assert.All(p.Practices ?? [], slug => Assert.NotNull(practices.Find(slug)));
    }

    [Fact]
    public void AChart_CarriesItsLabel_EscapesText_AndKeepsLabelsOutOfTheScaledPlot()
    {
        var html = new ChartScene(100, 50).Plot(10, 0, 0, 10).Line(10, 0, 20, 10).Rect(11, 1, 5, 5, "heat", 0.5)
            .Label(6, 40, "<b>&", "end").Label(50, 60, "under", "middle").ToHtml("Label \"quoted\"");
        Assert.Contains("role=\"img\"", html);
        Assert.Contains("aria-label=\"Label &quot;quoted&quot;\"", html);
        Assert.Contains("fill-opacity=\"0.5\"", html);
        // Only the plot scales with the screen; its labels are drawn beside and under it, unscaled.
        var plot = System.Text.RegularExpressions.Regex.Match(html, "<svg class=\"chart-plot\" viewBox=\"10 0 90 40\"[^>]*>(.*?)</svg>").Groups[1].Value;
        Assert.True(plot.Length > 0 && !plot.Contains("<text", StringComparison.Ordinal), html);
        Assert.Matches("<svg class=\"chart-axis chart-side\"[^>]*><text [^>]*y=\"91.25%\"[^>]*>&lt;b&gt;&amp;</text>", html);
        Assert.Matches("<svg class=\"chart-axis chart-under\"[^>]*><text x=\"44.44%\"[^>]*>under</text>", html);
    }
}

public sealed class WarmUpTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task TheWarmUp_Runs_ReadsNobodysData_AndWritesNothing()
    {
        var person = await app.RegisterAsync();
        await Support.Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/activations", new { situation = "warm", intensity = 3 }), System.Net.HttpStatusCode.Created);
        var before = await app.WithDbAsync(async db => (await db.Set<Activation>().CountAsync(), await db.Set<Features.Journal.JournalEntry>().CountAsync()));
        await ActivatorUtilities.CreateInstance<Composition.WarmUp>(app.Services).RunAsync(CancellationToken.None);
        Assert.True(!app.Logs.Lines.Any(m => m.Contains("Warm-up skipped", StringComparison.Ordinal)), string.Join("\n", app.Logs.Lines.Where(m => m.Contains("Warm-up", StringComparison.Ordinal))));
        var after = await app.WithDbAsync(async db => (await db.Set<Activation>().CountAsync(), await db.Set<Features.Journal.JournalEntry>().CountAsync()));
        Assert.Equal(before, after);
    }
}
