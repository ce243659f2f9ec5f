using Attune.Features.Assessments;

namespace Attune.Tests.Assessments;

/// <summary>The one scoring engine, against hand-computed cases and the published cut-offs.</summary>
public sealed class ScoringTests
{
    private static readonly Instruments All = new();
    private static Instrument Phq9 => All.Find("phq9")!;
    private static Instrument Gad7 => All.Find("gad7")!;
    private static Instrument Signs => All.Find("signs")!;

    private static int[] Spread(int total, int items, int last = 0)
    {
        // Fill from the first item, three at a time, keeping the last item as given.
        var answers = new int[items];
        answers[^1] = last;
        var left = total - last;
        for (var i = 0; i < items - 1 && left > 0; i++) { answers[i] = Math.Min(3, left); left -= answers[i]; }
        Assert.Equal(0, left);
        return answers;
    }

    [Theory]
    [InlineData(0, "minimal")]
    [InlineData(4, "minimal")]
    [InlineData(5, "mild")]
    [InlineData(9, "mild")]
    [InlineData(10, "moderate")]
    [InlineData(14, "moderate")]
    [InlineData(15, "moderately severe")]
    [InlineData(19, "moderately severe")]
    [InlineData(20, "severe")]
    [InlineData(24, "severe")]
    public void Phq9_Bands_FollowThePublishedCutOffs(int total, string band)
    {
        var score = Instruments.Score(Phq9, Spread(total, 9));
        Assert.Equal(total, score.Total);
        Assert.Equal(band, score.Band);
        Assert.False(score.Safety);
    }

    [Fact]
    public void Phq9_Maximum_Is27_Severe_WithSafety()
    {
        var score = Instruments.Score(Phq9, [3, 3, 3, 3, 3, 3, 3, 3, 3]);
        Assert.Equal(27, score.Total);
        Assert.Equal("severe", score.Band);
        Assert.True(score.Safety);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Phq9_Item9AboveZero_CallsForTheSafetyResponse_WhateverTheTotal(int item9)
    {
        var score = Instruments.Score(Phq9, [0, 0, 0, 0, 0, 0, 0, 0, item9]);
        Assert.True(score.Safety);
        Assert.Equal("minimal", score.Band);
    }

    [Fact]
    public void Phq9_HandComputedExample()
    {
        // 2+1+3+2+0+1+1+0+0 = 10: moderate.
        var score = Instruments.Score(Phq9, [2, 1, 3, 2, 0, 1, 1, 0, 0]);
        Assert.Equal(10, score.Total);
        Assert.Equal("moderate", score.Band);
        Assert.False(score.Safety);
    }

    [Theory]
    [InlineData(0, "minimal")]
    [InlineData(4, "minimal")]
    [InlineData(5, "mild")]
    [InlineData(9, "mild")]
    [InlineData(10, "moderate")]
    [InlineData(14, "moderate")]
    [InlineData(15, "severe")]
    [InlineData(21, "severe")]
    public void Gad7_Bands_FollowThePublishedCutOffs(int total, string band)
    {
        var answers = Spread(total, 7, last: Math.Min(3, total));
        var score = Instruments.Score(Gad7, answers);
        Assert.Equal(total, score.Total);
        Assert.Equal(band, score.Band);
        Assert.False(score.Safety);
    }

    [Fact]
    public void Signs_ScoresEachPattern_AsTheSumOfItsItems()
    {
        // Items cycle through the 8 patterns in order; give each pattern a different weight.
        var answers = Enumerable.Range(0, 24).Select(i => (i % 8) switch { 0 => 3, 1 => 2, 2 => 1, _ => 0 }).ToArray();
        answers[3] = 1; // one "sabotage" item
        var score = Instruments.Score(Signs, answers);
        Assert.Equal(9, score.Subscales["reactions"]);
        Assert.Equal(6, score.Subscales["pleasing"]);
        Assert.Equal(3, score.Subscales["critic"]);
        Assert.Equal(1, score.Subscales["sabotage"]);
        Assert.Equal(0, score.Subscales["abandonment"]);
        Assert.Equal(19, score.Total);
        Assert.Equal("often", Instruments.PatternBand(Signs, 9)!.Label);
        Assert.Equal("sometimes", Instruments.PatternBand(Signs, 3)!.Label);
        Assert.Equal("rarely", Instruments.PatternBand(Signs, 2)!.Label);
    }

    [Fact]
    public void Validation_NamesTheFieldForMissingOrOutOfRangeAnswers()
    {
        Assert.True(Instruments.Validate(Phq9, [0, 1]).Any);
        var errors = Instruments.Validate(Phq9, [0, 1, 2, 3, 4, 0, 0, 0, 0]).ToProblem().ProblemDetails.Errors;
        Assert.True(errors.ContainsKey("answers[4]"));
        Assert.False(Instruments.Validate(Phq9, [0, 1, 2, 3, 0, 0, 0, 0, 0]).Any);
    }
}

/// <summary>The instruments as content: published wording kept, Signs complete and original.</summary>
public sealed class InstrumentContentTests
{
    private static readonly Instruments All = new();

    [Fact]
    public void Phq9AndGad7_KeepTheirPublishedWording_ScaleAndAttribution()
    {
        var phq9 = All.Find("phq9")!;
        Assert.Equal(9, phq9.Items.Count);
        Assert.Equal("Little interest or pleasure in doing things", phq9.Items[0].Text);
        Assert.Equal("Thoughts that you would be better off dead or of hurting yourself in some way", phq9.Items[8].Text);
        Assert.Equal(["Not at all", "Several days", "More than half the days", "Nearly every day"], phq9.Scale.Select(s => s.Label));
        Assert.Equal([0, 1, 2, 3], phq9.Scale.Select(s => s.Value));
        Assert.Contains("Pfizer", phq9.Attribution, StringComparison.Ordinal);
        Assert.Equal(9, phq9.Safety!.Item);

        var gad7 = All.Find("gad7")!;
        Assert.Equal(7, gad7.Items.Count);
        Assert.Equal("Feeling nervous, anxious, or on edge", gad7.Items[0].Text);
        Assert.Equal("Feeling afraid, as if something awful might happen", gad7.Items[6].Text);
        Assert.Contains("Spitzer", gad7.Attribution, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("phq9", 27)]
    [InlineData("gad7", 21)]
    public void Bands_CoverEveryPossibleTotal_WithoutGapsOrOverlaps(string code, int max)
    {
        var instrument = All.Find(code)!;
        Assert.Equal(max, instrument.MaxTotal);
        for (var total = 0; total <= max; total++)
            Assert.Single(instrument.Bands!, b => total >= b.Min && total <= b.Max);
    }

    [Fact]
    public void Signs_Has24To32Items_EightPatternsWithAtLeastThreeItemsEach_AndPlainExplanations()
    {
        var signs = All.Find("signs")!;
        Assert.InRange(signs.Items.Count, 24, 32);
        Assert.Equal(8, signs.Patterns!.Count);
        Assert.Equal(["reactions", "pleasing", "critic", "sabotage", "needs", "doubt", "boundaries", "abandonment"], signs.Patterns.Select(p => p.Code));
        foreach (var p in signs.Patterns)
        {
            Assert.True(signs.Items.Count(i => i.Pattern == p.Code) >= 3, p.Code);
            Assert.False(string.IsNullOrWhiteSpace(p.Explanation));
        }
        Assert.All(signs.Items, i => Assert.Contains(i.Pattern, signs.Patterns.Select(p => p.Code)));
        Assert.Equal(signs.Items.Count, signs.Items.Select(i => i.Text).Distinct().Count());
        for (var score = 0; score <= 9; score++) Assert.NotNull(Instruments.PatternBand(signs, score));
    }

    [Fact]
    public void EverySignsPattern_NamesAtLeastTwoPracticesThatFit_AndTheyExist()
    {
        var practices = new Attune.Features.Journey.Practices();
        foreach (var pattern in All.Find("signs")!.Patterns!)
        {
            Assert.True(pattern.Practices is { Count: >= 2 }, pattern.Code);
            Assert.All(pattern.Practices!, slug => Assert.NotNull(practices.Find(slug)));
        }
    }
}
