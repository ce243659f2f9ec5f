using Attune.Features.Groups.Room;

namespace Attune.Tests.Groups;

public sealed class PromptContentTests
{
    [Fact]
    public void EveryPartOfTheJourney_HasAFeltAgeANeededALetterAndAWhatITakePrompt()
    {
        var prompts = new RoomPrompts();
        Assert.Equal(prompts.All.Count, prompts.All.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
        foreach (var p in prompts.All)
        {
            Assert.True(p.Part is >= 1 and <= 4, $"{p.Id} names part {p.Part}");
            Assert.Contains(p.Kind, RoomPrompts.Kinds);
            Assert.False(string.IsNullOrWhiteSpace(p.Title), p.Id);
            Assert.False(string.IsNullOrWhiteSpace(p.Text), p.Id);
            Assert.True(p.Text.Length <= 240, $"{p.Id} is long for a prompt read on a phone");
            Assert.Same(p, prompts.Find(p.Id));
        }
        for (var part = 1; part <= 4; part++)
            foreach (var kind in RoomPrompts.Kinds)
                Assert.True(prompts.All.Any(p => p.Part == part && p.Kind == kind), $"Part {part} has no {kind} prompt");
    }

    [Fact]
    public void AGroupsOwnPart_ComesFirst_AndNoPromptIsLost()
    {
        var prompts = new RoomPrompts();
        var offered = prompts.ForPart(3);
        Assert.Equal(prompts.All.Count, offered.Count);
        Assert.All(offered.Take(RoomPrompts.Kinds.Count), p => Assert.Equal(3, p.Part));
        Assert.Equal(RoomPrompts.Kinds, offered.Take(RoomPrompts.Kinds.Count).Select(p => p.Kind));
        Assert.Null(prompts.Find("no-such-prompt"));
        Assert.Null(prompts.Find(null));
    }
}
