namespace Attune.Features.Groups.Board;

/// <summary>The between-meetings board, group sharing, attendance and endings (docs/groups.md).</summary>
public static class BoardApi
{
    public static IServiceCollection AddGroupBoard(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapGroupBoard(this IEndpointRouteBuilder app) => app;
}
