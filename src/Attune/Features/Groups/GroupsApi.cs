using Attune.Features.Groups.Board;
using Attune.Features.Groups.Measures;
using Attune.Features.Groups.Room;

namespace Attune.Features.Groups;

/// <summary>Groups: facilitated circles with cycles, applications, agreements, live rooms, a board and endings (docs/groups.md).</summary>
public static class GroupsApi
{
    public static IServiceCollection AddGroups(this IServiceCollection services)
    {
        services.AddGroupPeople();
        services.AddGroupRoom();
        services.AddRoomSafety();
        services.AddGroupBoard();
        services.AddGroupMeasures();
        return services;
    }

    public static IEndpointRouteBuilder MapGroups(this IEndpointRouteBuilder app)
    {
        app.MapGroupPeople();
        app.MapGroupRoom();
        app.MapRoomSafety();
        app.MapGroupBoard();
        app.MapGroupMeasures();
        return app;
    }
}
