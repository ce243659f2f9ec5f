using Attune.Data;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Account;

/// <summary>
/// <c>/api/v1/me</c>: the person's own name, time zone, country and theme, as the profile page edits them.
/// (Deleting the account and the person's data, sessions and logs under the same path are Privacy's.)
/// </summary>
public static class MeEndpoints
{
    public const int DisplayNameMax = 80;

    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Me and privacy");
        me.MapGet("", GetAsync);
        me.MapPatch("", PatchAsync);
        return app;
    }

    private static async Task<Results<Ok<MeDto>, NotFound>> GetAsync(CurrentPerson me, AttuneDb db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == me.Id, ct);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(await ToDtoAsync(db, user, ct));
    }

    private static async Task<MeDto> ToDtoAsync(AttuneDb db, AttuneUser user, CancellationToken ct) =>
        new(user.Id, user.Email ?? "", await db.DisplayNameAsync(user, ct), user.TimeZone, user.Country, user.Theme);

    private static async Task<Results<Ok<MeDto>, ValidationProblem, NotFound>> PatchAsync(MePatch body, CurrentPerson me, AttuneDb db, CancellationToken ct)
    {
        var errors = Validate(body);
        if (errors.Any) return errors.ToProblem();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == me.Id, ct);
        if (user is null) return TypedResults.NotFound();
        if (body.DisplayName is not null) await db.SetDisplayNameAsync(user, body.DisplayName, ct);
        if (body.TimeZone is not null) user.TimeZone = body.TimeZone;
        if (body.Country is not null) user.Country = body.Country.Length == 0 ? null : body.Country.ToUpperInvariant();
        if (body.Theme is not null) user.Theme = body.Theme;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ToDtoAsync(db, user, ct));
    }

    internal static FieldErrors Validate(MePatch body)
    {
        var errors = new FieldErrors().MaxLength("displayName", body.DisplayName, DisplayNameMax).PlainText("displayName", body.DisplayName)
            .PlainText("timeZone", body.TimeZone).PlainText("country", body.Country);
        if (body.TimeZone is not null && !Places.IsTimeZone(body.TimeZone))
            errors.Add("timeZone", "Please choose a time zone by its IANA name, such as Europe/Dublin or America/Toronto.");
        if (body.Country is { Length: > 0 } && !Places.CountryCodes.Contains(body.Country.ToUpperInvariant()))
            errors.Add("country", "Please use a two-letter country code, such as IE, CA or NZ.");
        if (body.Theme is not null && !Themes.IsKnown(body.Theme))
            errors.Add("theme", "Please choose how Attune looks: system (match my device), light or dark.");
        return errors;
    }
}
