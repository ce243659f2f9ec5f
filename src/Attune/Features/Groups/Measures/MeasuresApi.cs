namespace Attune.Features.Groups.Measures;

/// <summary>PHQ-9 and GAD-7 through a group's cycle, with consent (docs/groups.md, "Measures").</summary>
public static class MeasuresApi
{
    public static IServiceCollection AddGroupMeasures(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapGroupMeasures(this IEndpointRouteBuilder app) => app;
}
