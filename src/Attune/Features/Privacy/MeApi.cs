using System.Globalization;
using System.Security.Claims;
using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Privacy;

public sealed record MeDto(string Id, string Email, string DisplayName, string TimeZone, string? Country);
public sealed record MePatch(string? DisplayName, string? TimeZone, string? Country);
public sealed record DeleteMeRequest(string? Password);
public sealed record AccessLogItem(DateTimeOffset At, string ActorId, string ActorName, string Action, string ItemType, string? ItemId, string? Detail);
public sealed record SessionDto(Guid Id, string Kind, string Client, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, bool Current);
public sealed record SecurityEventDto(DateTimeOffset At, string Action, string Outcome);

public static class MeApi
{
    public const int DisplayNameMax = 80;

    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddScoped<AccessLog>();
        services.AddScoped<PersonTime>();
        services.AddScoped<PersonalData>();
        services.AddScoped<IExportSection, AccountSection>();
        services.AddScoped<IExportSection, SessionsSection>();
        services.AddScoped<IExportSection, SecurityEventsSection>();
        services.AddScoped<IExportSection, AccessLogSection>();
        return services;
    }

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(AccountSetup.ApiPolicy).WithTags("Me and privacy");
        me.MapGet("", GetAsync);
        me.MapPatch("", PatchAsync);
        me.MapDelete("", DeleteAsync);
        me.MapGet("/export", ExportAsync);
        me.MapGet("/access-log", AccessLogAsync);
        me.MapGet("/sessions", SessionsAsync);
        me.MapDelete("/sessions/{id:guid}", EndSessionAsync);
        me.MapGet("/security-log", SecurityLogAsync);
        return app;
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;

    private static async Task<Results<Ok<MeDto>, NotFound>> GetAsync(ClaimsPrincipal principal, AttuneDb db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == UserId(principal), ct);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(await ToDtoAsync(db, user, ct));
    }

    private static async Task<MeDto> ToDtoAsync(AttuneDb db, AttuneUser user, CancellationToken ct) =>
        new(user.Id, user.Email ?? "", await db.DisplayNameAsync(user, ct), user.TimeZone, user.Country);

    private static async Task<Results<Ok<MeDto>, ValidationProblem, NotFound>> PatchAsync(MePatch body, ClaimsPrincipal principal, AttuneDb db, CancellationToken ct)
    {
        var errors = Validate(body);
        if (errors.Any) return errors.ToProblem();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == UserId(principal), ct);
        if (user is null) return TypedResults.NotFound();
        if (body.DisplayName is not null) await db.SetDisplayNameAsync(user, body.DisplayName, ct);
        if (body.TimeZone is not null) user.TimeZone = body.TimeZone;
        if (body.Country is not null) user.Country = body.Country.Length == 0 ? null : body.Country.ToUpperInvariant();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ToDtoAsync(db, user, ct));
    }

    internal static FieldErrors Validate(MePatch body)
    {
        var errors = new FieldErrors().MaxLength("displayName", body.DisplayName, DisplayNameMax).PlainText("displayName", body.DisplayName)
            .PlainText("timeZone", body.TimeZone).PlainText("country", body.Country);
        if (body.TimeZone is not null && !IsTimeZone(body.TimeZone))
            errors.Add("timeZone", "Please choose a time zone by its IANA name, such as Europe/Dublin or America/Toronto.");
        if (body.Country is { Length: > 0 } && !Countries.Contains(body.Country.ToUpperInvariant()))
            errors.Add("country", "Please use a two-letter country code, such as IE, CA or NZ.");
        return errors;
    }

    internal static bool IsTimeZone(string id) =>
        id.Length <= 64 && (id == "UTC" || (TimeZoneInfo.TryFindSystemTimeZoneById(id, out _) && TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _)));

    /// <summary>ISO 3166-1 alpha-2 codes known to the platform's culture data, with English names.</summary>
    internal static readonly Dictionary<string, string> CountryNames = BuildCountries();

    internal static IReadOnlyCollection<string> Countries => CountryNames.Keys;

    private static Dictionary<string, string> BuildCountries()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            RegionInfo region;
            try { region = new RegionInfo(culture.Name); }
            catch (ArgumentException) { continue; }
            var code = region.TwoLetterISORegionName;
            if (code.Length == 2 && code.All(char.IsAsciiLetterUpper)) result.TryAdd(code, region.EnglishName);
        }
        return result;
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

    private static async Task<Ok<Dictionary<string, object?>>> ExportAsync(ClaimsPrincipal principal, PersonalData data, CancellationToken ct) =>
        TypedResults.Ok(await data.ExportAsync(UserId(principal), ct));

    private static async Task<Ok<Page<AccessLogItem>>> AccessLogAsync(ClaimsPrincipal principal, AccessLog log, int? limit, string? cursor, CancellationToken ct)
    {
        var (rows, next) = await log.ReadAsync(UserId(principal), limit ?? 50, cursor, ct);
        return TypedResults.Ok(new Page<AccessLogItem>(rows.Select(r => new AccessLogItem(r.At, r.ActorId, r.ActorName, r.Action, r.ItemType, r.ItemId, r.Detail)).ToList(), next));
    }

    private static async Task<Ok<Page<SessionDto>>> SessionsAsync(ClaimsPrincipal principal, Sessions sessions, CancellationToken ct)
    {
        var current = Sessions.IdOf(principal);
        var list = await sessions.ListAsync(UserId(principal), ct);
        return TypedResults.Ok(new Page<SessionDto>(list.Select(s => new SessionDto(s.Id, s.Kind, s.Client, new DateTimeOffset(s.CreatedAt), new DateTimeOffset(s.LastSeenAt), s.Id == current)).ToList(), null));
    }

    private static async Task<Results<NoContent, NotFound>> EndSessionAsync(Guid id, ClaimsPrincipal principal, Sessions sessions, AuditLog audit, CancellationToken ct)
    {
        if (!await sessions.EndAsync(UserId(principal), id, ct)) return TypedResults.NotFound();
        await audit.RecordAsync(UserId(principal), AuditActions.SessionEnded, "session", id.ToString(), ct: ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Page<SecurityEventDto>>> SecurityLogAsync(ClaimsPrincipal principal, AuditLog audit, CancellationToken ct)
    {
        var events = await audit.About(UserId(principal)).OrderByDescending(e => e.Id).Take(100).ToListAsync(ct);
        return TypedResults.Ok(new Page<SecurityEventDto>(events.Select(e => new SecurityEventDto(new DateTimeOffset(e.At), e.Action, e.Outcome)).ToList(), null));
    }
}
