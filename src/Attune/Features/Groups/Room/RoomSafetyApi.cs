using System.Security.Claims;
using Attune.Features.Account;
using Attune.Features.Journal;
using Attune.Infrastructure.Conversations;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Attune.Features.Groups.Room;

/// <summary>Safety in the room, the private word and "what I take with me" (docs/groups.md, "Safety in the room").</summary>
public static class RoomSafetyApi
{
    public static IServiceCollection AddRoomSafety(this IServiceCollection services)
    {
        // Over the room's own no-op check: crisis and advice checks, and the writer's safety answer.
        services.Replace(ServiceDescriptor.Scoped<IRoomTextCheck, RoomSafety>());
        services.AddSingleton<RoomPrompts>();
        services.Replace(ServiceDescriptor.Singleton<IRoomPrompts>(sp => sp.GetRequiredService<RoomPrompts>()));
        services.AddScoped<PrivateWords>();
        services.AddScoped<RoomLinks>();
        services.AddScoped<TakeWithMe>();
        return services;
    }

    public static IEndpointRouteBuilder MapRoomSafety(this IEndpointRouteBuilder app)
    {
        var groups = app.MapGroup("/api/v1/groups").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Groups");
        groups.MapGet("/{id:guid}/members/{memberId:guid}/messages", async Task<Results<Ok<PrivateWordDto>, NotFound>> (Guid id, Guid memberId, ClaimsPrincipal user, PrivateWords words, CancellationToken ct) =>
            await words.GetAsync(Id(user), id, memberId, ct) is { } c ? TypedResults.Ok(c) : TypedResults.NotFound());
        groups.MapPost("/{id:guid}/members/{memberId:guid}/messages", async Task<Results<Created<MessageDto>, ValidationProblem, NotFound>> (Guid id, Guid memberId, MessageInput body, ClaimsPrincipal user, PrivateWords words, CancellationToken ct) =>
        {
            var (message, errors) = await words.PostAsync(Id(user), id, memberId, body, ct);
            if (errors is not null) return errors.ToProblem();
            return message is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/groups/{id}/members/{memberId}/messages", message);
        });
        groups.MapPost("/{id:guid}/meetings/{meetingId:guid}/room/posts/{postId:guid}/journal", async Task<Results<Created<JournalEntryDto>, NotFound>> (Guid id, Guid meetingId, Guid postId, ClaimsPrincipal user, TakeWithMe take, CancellationToken ct) =>
            await take.SaveAsync(Id(user), id, meetingId, postId, ct) is { } entry ? TypedResults.Created($"/api/v1/journal/{entry.Id}", entry) : TypedResults.NotFound());
        return app;
    }

    private static string Id(ClaimsPrincipal user) => CurrentPerson.IdOf(user)!;
}
