namespace Attune.Features.Groups.Room;

/// <summary>The live room: its state machine, store and routes (docs/groups.md, "The room").</summary>
public static class RoomApi
{
    public static IServiceCollection AddGroupRoom(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapGroupRoom(this IEndpointRouteBuilder app) => app;
}
