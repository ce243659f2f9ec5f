namespace Attune.Features.Safety;

public sealed record SafetyPlanDto(
    List<string> WarningSigns, List<string> CopingStrategies, List<string> Distractions, List<string> Helpers,
    List<string> Professionals, List<string> SafeEnvironment, List<string> ReasonsToLive, DateTimeOffset? UpdatedAt = null)
{
    public static SafetyPlanDto Empty => new([], [], [], [], [], [], []);
}
