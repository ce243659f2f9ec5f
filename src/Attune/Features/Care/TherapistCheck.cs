using Attune.Infrastructure.Web;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

/// <summary>
/// The therapist check on the API: an endpoint (or a group) marked <see cref="RequireTherapist{TBuilder}"/>
/// answers a 403 problem to someone without a therapist profile, or whose profile an administrator
/// hid, before its handler runs; the handler only ever sees a therapist at work.
/// </summary>
public static class TherapistCheck
{
    public static TBuilder RequireTherapist<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var directory = http.RequestServices.GetRequiredService<TherapistDirectory>();
            return await RefusalAsync(http.User, directory, http.RequestAborted) ?? await next(context);
        }).WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ProblemDetails), ["application/problem+json"]));

    /// <summary>A 403 problem for someone without a therapist profile, or whose profile an administrator hid; null for a therapist at work.</summary>
    private static async Task<ProblemHttpResult?> RefusalAsync(ClaimsPrincipal user, TherapistDirectory directory, CancellationToken ct) =>
        await directory.MineAsync(CurrentPerson.IdOf(user)!, ct) switch
        {
            null => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This is for therapists.",
                detail: "Create a therapist profile first; then people can find you and ask to connect."),
            { HiddenByAdmin: true } => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Your profile is paused.",
                detail: "An administrator has paused your profile, and with it your work with people here, until it is checked again."),
            _ => null,
        };
}
