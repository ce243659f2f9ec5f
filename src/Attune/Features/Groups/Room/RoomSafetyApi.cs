namespace Attune.Features.Groups.Room;

/// <summary>Safety in the room, the private word and "what I take with me" (docs/groups.md, "Safety in the room").</summary>
public static class RoomSafetyApi
{
    public static IServiceCollection AddRoomSafety(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapRoomSafety(this IEndpointRouteBuilder app) => app;
}
