using System.Globalization;
using System.Security.Claims;
using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Attune.Features.Groups;

/// <summary>
/// The group, its people and its calendar under <c>/api/v1/groups</c>: the directory (open to
/// anyone), creating and editing, applying and answering, the agreement, members, leaving and
/// removal, meetings and calendar files, and invitation links. Anything not the caller's answers 404.
/// </summary>
public static class GroupsRoutes
{
    public static IServiceCollection AddGroupPeople(this IServiceCollection services)
    {
        services.AddSingleton<GroupAgreements>();
        services.AddScoped<GroupsService>();
        services.AddScoped<GroupMeetings>();
        services.AddScoped<Applications>();
        services.AddScoped<Membership>();
        services.AddScoped<Room.IGroupRemovals>(s => s.GetRequiredService<Membership>());
        services.AddScoped<InvitationLinks>();
        services.AddScoped<Care.ITherapistGroups, TherapistGroups>();
        services.AddScoped<Privacy.IExportSection, GroupsSection>();
        services.AddScoped<Privacy.IBeforeAccountDeletion, GroupsOnDeletion>();
        services.AddScoped<Privacy.IReaderNames, Board.GroupReaderNames>();
        return services;
    }

    public static IEndpointRouteBuilder MapGroupPeople(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/groups", async Task<Results<Ok<Page<GroupCardDto>>, ValidationProblem>> (string? q, string? part, string? language, string? limit, string? cursor,
            ClaimsPrincipal user, GroupsService groups, CancellationToken ct) =>
        {
            var errors = new FieldErrors();
            q = GroupRules.Clean(q);
            errors.MaxLength("q", q, GroupsService.MaxQuery);
            int? partNumber = null;
            if (GroupRules.Clean(part) is { } p)
                if (int.TryParse(p, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4) partNumber = n;
                else errors.Add("part", "Please give a journey part from 1 to 4.");
            language = GroupRules.Clean(language);
            if (language is not null && !GroupLanguages.IsKnown(language)) errors.Add("language", GroupLanguages.Unknown);
            var size = GroupsService.DefaultPage;
            if (GroupRules.Clean(limit) is { } l && (!int.TryParse(l, CultureInfo.InvariantCulture, out size) || size is < 1 or > GroupsService.MaxPage))
                errors.Add("limit", $"Please give a whole number from 1 to {GroupsService.MaxPage}.");
            var offset = 0;
            if (GroupRules.Clean(cursor) is { } c && (!int.TryParse(c, CultureInfo.InvariantCulture, out offset) || offset < 0))
                errors.Add("cursor", "This cursor isn't one the directory gave.");
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await groups.DirectoryAsync(CurrentPerson.IdOf(user), q, partNumber, language, size, offset, ct));
        }).AllowAnonymous().WithTags("Groups");

        var api = app.MapGroup("/api/v1/groups").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Groups");
        api.MapPost("", async Task<Results<Created<GroupDto>, ValidationProblem>> (GroupInput body, ClaimsPrincipal user, GroupsService groups, CancellationToken ct) =>
        {
            var (group, errors) = await groups.CreateAsync(Id(user), body, ct);
            return errors is not null ? errors.ToProblem() : TypedResults.Created($"/api/v1/groups/{group!.Id}", group);
        });
        api.MapGet("/mine", async (ClaimsPrincipal user, GroupsService groups, CancellationToken ct) => TypedResults.Ok(await groups.MineAsync(Id(user), ct)));
        api.MapGet("/{id:guid}", async Task<Results<Ok<GroupDto>, NotFound>> (Guid id, ClaimsPrincipal user, GroupsService groups, CancellationToken ct) =>
            await groups.GetAsync(Id(user), id, ct) is { } g ? TypedResults.Ok(g) : TypedResults.NotFound());
        api.MapPatch("/{id:guid}", async Task<Results<Ok<GroupDto>, ValidationProblem, NotFound>> (Guid id, GroupPatch body, ClaimsPrincipal user, GroupsService groups, CancellationToken ct) =>
        {
            var (group, errors) = await groups.UpdateAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return group is null ? TypedResults.NotFound() : TypedResults.Ok(group);
        });

        api.MapPost("/{id:guid}/applications", async Task<Results<Created<ApplicationDto>, ValidationProblem, NotFound>> (Guid id, ApplicationInput body, ClaimsPrincipal user, Applications applications, CancellationToken ct) =>
        {
            var (application, errors) = await applications.ApplyAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return application is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/groups/{id}/applications/{application.Id}", application);
        });
        api.MapGet("/{id:guid}/applications", async Task<Results<Ok<Page<ApplicationDto>>, NotFound>> (Guid id, ClaimsPrincipal user, Applications applications, CancellationToken ct) =>
            await applications.ListAsync(Id(user), id, ct) is { } list ? TypedResults.Ok(new Page<ApplicationDto>(list, null)) : TypedResults.NotFound());
        foreach (var answer in new[] { "accept", "decline", "waitlist" })
            api.MapPost($"/{{id:guid}}/applications/{{appId:guid}}/{answer}", async Task<Results<Ok<ApplicationDto>, ValidationProblem, ProblemHttpResult, NotFound>> (Guid id, Guid appId,
                [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DeclineInput? body, ClaimsPrincipal user, Applications applications, CancellationToken ct) =>
            {
                var (application, errors, full) = await applications.AnswerAsync(Id(user), id, appId, answer, body?.Note, ct);
                if (full) return TypedResults.Problem(title: "This group is full; you could waitlist them", statusCode: StatusCodes.Status409Conflict);
                if (errors is not null) return errors.ToProblem();
                return application is null ? TypedResults.NotFound() : TypedResults.Ok(application);
            });

        api.MapPost("/{id:guid}/agreement", async Task<Results<Created<MemberDto>, ValidationProblem, NotFound>> (Guid id, AgreementInput body, ClaimsPrincipal user, Membership membership, CancellationToken ct) =>
        {
            var (member, errors) = await membership.AgreeAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return member is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/groups/{id}/members", member);
        });
        api.MapGet("/{id:guid}/members", async Task<Results<Ok<Page<MemberDto>>, NotFound>> (Guid id, ClaimsPrincipal user, Membership membership, CancellationToken ct) =>
            await membership.ListAsync(Id(user), id, ct) is { } list ? TypedResults.Ok(new Page<MemberDto>(list, null)) : TypedResults.NotFound());
        api.MapDelete("/{id:guid}/members/{memberId:guid}", async Task<Results<NoContent, ValidationProblem, NotFound>> (Guid id, Guid memberId,
            [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RemoveInput? body, ClaimsPrincipal user, Membership membership, CancellationToken ct) =>
        {
            var (done, errors) = await membership.LeaveOrRemoveAsync(Id(user), id, memberId, body?.Reason, ct);
            if (errors is not null) return errors.ToProblem();
            return done ? TypedResults.NoContent() : TypedResults.NotFound();
        });

        api.MapGet("/{id:guid}/meetings", async Task<Results<Ok<Page<MeetingDto>>, NotFound>> (Guid id, ClaimsPrincipal user, GroupsService groups, GroupMeetings meetings, CancellationToken ct) =>
            await groups.PlaceOfAsync(Id(user), id, ct: ct) is { Involved: true } place
                ? TypedResults.Ok(new Page<MeetingDto>(await meetings.ListAsync(Id(user), place.Group, ct), null)) : TypedResults.NotFound());
        api.MapGet("/{id:guid}/calendar", (Guid id, bool? title, ClaimsPrincipal user, GroupsService groups, GroupMeetings meetings, CancellationToken ct) =>
            CalendarAsync(id, null, title, user, groups, meetings, ct));
        api.MapGet("/{id:guid}/meetings/{meetingId:guid}/calendar", (Guid id, Guid meetingId, bool? title, ClaimsPrincipal user, GroupsService groups, GroupMeetings meetings, CancellationToken ct) =>
            CalendarAsync(id, meetingId, title, user, groups, meetings, ct));

        api.MapPost("/{id:guid}/invitation-link", async Task<Results<Ok<InvitationLinkDto>, NotFound>> (Guid id, ClaimsPrincipal user, InvitationLinks links, CancellationToken ct) =>
            await links.NewAsync(Id(user), id, ct) is { } link ? TypedResults.Ok(link) : TypedResults.NotFound());
        api.MapPost("/join/{token}", async Task<Results<Ok<JoinedDto>, ValidationProblem, NotFound>> (string token, ClaimsPrincipal user, InvitationLinks links, Applications applications, CancellationToken ct) =>
        {
            var (joined, errors) = await applications.JoinAsync(Id(user), await links.FindAsync(token, ct), ct);
            if (errors is not null) return errors.ToProblem();
            return joined is null ? TypedResults.NotFound() : TypedResults.Ok(joined);
        });
        return app;
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> CalendarAsync(Guid id, Guid? meetingId, bool? title, ClaimsPrincipal user,
        GroupsService groups, GroupMeetings meetings, CancellationToken ct) =>
        await groups.PlaceOfAsync(Id(user), id, ct: ct) is { Involved: true } place && await meetings.CalendarAsync(place.Group, meetingId, title == true, ct) is { } ics
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ics), GroupCalendar.ContentType, GroupCalendar.FileName)
            : TypedResults.NotFound();

    public static string Id(ClaimsPrincipal user) => CurrentPerson.IdOf(user)!;
}
