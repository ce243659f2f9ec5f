using Attune.Data;
using System.Security.Claims;
using Attune.Features.Account;
using Attune.Infrastructure;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Privacy;

public static class PrivacyApi
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddScoped<AccessLog>();
        services.AddScoped<PersonalData>();
        services.AddScoped<IExportSection, AccountSection>();
        services.AddScoped<IExportSection, SessionsSection>();
        services.AddScoped<IExportSection, SecurityEventsSection>();
        services.AddScoped<IExportSection, AccessLogSection>();
        return services;
    }

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Me and privacy");
        me.MapDelete("", DeleteAsync);
        me.MapGet("/export", ExportAsync);
        me.MapGet("/access-log", AccessLogAsync);
        me.MapGet("/sessions", SessionsAsync);
        me.MapDelete("/sessions/{id:guid}", EndSessionAsync);
        me.MapGet("/security-log", SecurityLogAsync);
        return app;
    }

    private static async Task<Results<NoContent, ValidationProblem, NotFound, ProblemHttpResult>> DeleteAsync(
        [FromBody] DeleteMeRequest body, ClaimsPrincipal principal, UserManager<AttuneUser> users, PersonalData data, SignInGuard guard, CancellationToken ct)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return TypedResults.NotFound();
        switch (await guard.CheckPasswordAsync(users, user, body.Password, ct))
        {
            case PasswordCheck.Paused:
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many tries for now.", detail: SignInGuard.PausedMessage);
            case PasswordCheck.Wrong:
                return new FieldErrors().Add("password", "That password doesn't match. Your account has not been deleted.").ToProblem();
        }
        await data.DeleteAsync(user.Id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Dictionary<string, object?>>> ExportAsync(CurrentPerson me, PersonalData data, CancellationToken ct) =>
        TypedResults.Ok(await data.ExportAsync(me.Id, ct));

    private static async Task<Ok<Page<AccessLogItem>>> AccessLogAsync(CurrentPerson me, AccessLog log, int? limit, string? cursor, CancellationToken ct)
    {
        var (rows, next) = await log.ReadAsync(me.Id, limit ?? 50, cursor, ct);
        return TypedResults.Ok(new Page<AccessLogItem>(rows.Select(r => new AccessLogItem(r.At, r.ActorId, r.ActorName, r.Action, r.ItemType, r.ItemId, r.Detail)).ToList(), next));
    }

    private static async Task<Ok<Page<SessionDto>>> SessionsAsync(ClaimsPrincipal principal, CurrentPerson me, Sessions sessions, CancellationToken ct)
    {
        var current = Sessions.IdOf(principal);
        var list = await sessions.ListAsync(me.Id, ct);
        return TypedResults.Ok(new Page<SessionDto>(list.Select(s => new SessionDto(s.Id, s.Kind, s.Client, new DateTimeOffset(s.CreatedAt), new DateTimeOffset(s.LastSeenAt), s.Id == current)).ToList(), null));
    }

    private static async Task<Results<NoContent, NotFound>> EndSessionAsync(Guid id, CurrentPerson me, Sessions sessions, AuditLog audit, CancellationToken ct)
    {
        if (!await sessions.EndAsync(me.Id, id, ct)) return TypedResults.NotFound();
        await audit.RecordAsync(me.Id, AuditActions.SessionEnded, "session", id.ToString(), ct: ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Page<SecurityEventDto>>> SecurityLogAsync(CurrentPerson me, AuditLog audit, CancellationToken ct)
    {
        var events = await audit.About(me.Id).OrderByDescending(e => e.Id).Take(100).ToListAsync(ct);
        return TypedResults.Ok(new Page<SecurityEventDto>(events.Select(e => new SecurityEventDto(new DateTimeOffset(e.At), e.Action, e.Outcome)).ToList(), null));
    }
}
