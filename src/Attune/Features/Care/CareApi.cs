using System.Security.Claims;
using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Care;

public static class CareApi
{
    public static IServiceCollection AddCare(this IServiceCollection services)
    {
        services.AddScoped<TherapistDirectory>();
        services.AddScoped<TherapistFlag>();
        services.AddScoped<CareService>();
        services.AddScoped<Sharing.IShareChannel, CareShareChannel>();
        services.AddScoped<Assessments.ICheckInViewers, CareCheckInViewers>();
        services.AddScoped<Caseload>();
        services.AddScoped<CareAssignments>();
        services.AddScoped<CareMessages>();
        services.AddScoped<SessionNotes>();
        services.AddScoped<Appointments>();
        services.AddCareJobs();
        services.AddScoped<Privacy.IExportSection, CareSection>();
        return services;
    }

    public static IEndpointRouteBuilder MapCare(this IEndpointRouteBuilder app)
    {
        var profile = app.MapGroup("/api/v1/therapist-profile").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Care");
        profile.MapGet("", async Task<Results<Ok<MyProfileDto>, NotFound>> (ClaimsPrincipal user, TherapistDirectory directory, CancellationToken ct) =>
            await directory.MineAsync(Id(user), ct) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound());
        profile.MapPut("", async Task<Results<Ok<MyProfileDto>, Created<MyProfileDto>, ValidationProblem>> (ProfileInput body, ClaimsPrincipal user, TherapistDirectory directory, TherapistFlag flag, CancellationToken ct) =>
        {
            var (p, created, errors) = await directory.SaveAsync(Id(user), body, ct);
            if (errors is not null) return errors.ToProblem();
            flag.Forget(Id(user));
            return created ? TypedResults.Created("/api/v1/therapist-profile", p!) : TypedResults.Ok(p!);
        });
        profile.MapPut("/photo", async Task<Results<NoContent, ValidationProblem>> (PhotoInput body, ClaimsPrincipal user, TherapistDirectory directory, CancellationToken ct) =>
        {
            byte[]? bytes = null;
            if (body.Image is { Length: > 0 } b64)
            {
                try { bytes = Convert.FromBase64String(b64); }
                catch (FormatException) { return new FieldErrors().Add("image", "This isn't valid base64.").ToProblem(); }
            }
            var errors = await directory.SetPhotoAsync(Id(user), bytes, ct);
            return errors is null ? TypedResults.NoContent() : errors.ToProblem();
        });
        profile.MapDelete("/photo", async Task<Results<NoContent, NotFound>> (ClaimsPrincipal user, TherapistDirectory directory, CancellationToken ct) =>
            await directory.RemovePhotoAsync(Id(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound());

        // The directory is open to everyone, signed in or not.
        var therapists = app.MapGroup("/api/v1/therapists").WithTags("Care");
        therapists.MapGet("", async Task<Results<Ok<Page<TherapistDto>>, ValidationProblem>> (string? q, string? modality, string? format, string? language,
            string? country, string? region, string? accepting, string? limit, string? cursor, TherapistDirectory directory, CancellationToken ct) =>
        {
            var (query, errors) = ParseQuery(q, modality, format, language, country, accepting, limit, cursor, region);
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await directory.SearchAsync(query, ct));
        }).AllowAnonymous();
        therapists.MapGet("/{id:guid}", async Task<Results<Ok<TherapistDto>, NotFound>> (Guid id, TherapistDirectory directory, CancellationToken ct) =>
            await directory.GetAsync(id, ct) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound()).AllowAnonymous();
        therapists.MapGet("/{id:guid}/photo", async Task<Results<FileContentHttpResult, NotFound>> (Guid id, TherapistDirectory directory, CancellationToken ct) =>
            await directory.PhotoAsync(id, ct) is { } photo ? TypedResults.File(photo.Bytes, photo.Type) : TypedResults.NotFound()).AllowAnonymous();
        therapists.MapPost("/{id:guid}/requests", async Task<Results<Created<CareDto>, ValidationProblem, NotFound>> (Guid id, ConnectInput body, ClaimsPrincipal user, CareService care, CancellationToken ct) =>
        {
            var (request, errors) = await care.RequestAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return request is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/care/{request.Id}", request);
        }).RequireAuthorization(AccountApi.ApiPolicy);

        var care = app.MapGroup("/api/v1/care").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Care");
        care.MapGet("", async (ClaimsPrincipal user, CareService service, CancellationToken ct) => TypedResults.Ok(new Page<CareDto>(await service.ListAsync(Id(user), ct), null)));
        care.MapGet("/{id:guid}", async Task<Results<Ok<CareDto>, NotFound>> (Guid id, ClaimsPrincipal user, CareService service, CancellationToken ct) =>
            await service.GetAsync(Id(user), id, ct) is { } c ? TypedResults.Ok(c) : TypedResults.NotFound());
        care.MapPatch("/{id:guid}", async Task<Results<Ok<CareDto>, ValidationProblem, NotFound>> (Guid id, ConsentsPatch body, ClaimsPrincipal user, CareService service, CancellationToken ct) =>
        {
            var (c, errors) = await service.SetConsentsAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return c is null ? TypedResults.NotFound() : TypedResults.Ok(c);
        });
        care.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, CareService service, CancellationToken ct) =>
            await service.EndAsync(Id(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        care.MapGet("/{id:guid}/messages", async Task<Results<Ok<CareConversation>, NotFound>> (Guid id, ClaimsPrincipal user, CareMessages service, CancellationToken ct) =>
            await service.GetAsync(Id(user), id, ct) is { } c ? TypedResults.Ok(c) : TypedResults.NotFound());
        care.MapPost("/{id:guid}/messages", async Task<Results<Created<Infrastructure.Conversations.MessageDto>, ValidationProblem, NotFound>> (Guid id, Infrastructure.Conversations.MessageInput body, ClaimsPrincipal user, CareMessages service, CancellationToken ct) =>
        {
            var (message, errors) = await service.PostAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return message is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/care/{id}/messages", message);
        });
        care.MapGet("/requests", async (ClaimsPrincipal user, CareService service, CancellationToken ct) =>
            TypedResults.Ok(new Page<CareRequestDto>(await service.RequestsAsync(Id(user), ct), null))).RequireTherapist();
        care.MapPost("/requests/{id:guid}/accept", (Guid id, ClaimsPrincipal user, CareService service, CancellationToken ct) => AnswerAsync(id, true, user, service, ct)).RequireTherapist();
        care.MapPost("/requests/{id:guid}/decline", (Guid id, ClaimsPrincipal user, CareService service, CancellationToken ct) => AnswerAsync(id, false, user, service, ct)).RequireTherapist();

        // Everything in a caseload is for a therapist at work (TherapistCheck).
        var caseload = app.MapGroup("/api/v1/caseload").RequireAuthorization(AccountApi.ApiPolicy).RequireTherapist().WithTags("Care");
        caseload.MapGet("", async (ClaimsPrincipal user, Caseload service, CancellationToken ct) =>
            TypedResults.Ok(new Page<CaseloadEntry>(await service.CaseloadAsync(Id(user), ct), null)));
        caseload.MapGet("/{personId}", async Task<Results<Ok<CaseloadEntry>, NotFound>> (string personId, ClaimsPrincipal user, Caseload service, CancellationToken ct) =>
        {
            return await service.PersonAsync(Id(user), personId, ct) is { } e ? TypedResults.Ok(e) : TypedResults.NotFound();
        });
        caseload.MapGet("/{personId}/check-ins", async Task<Results<Ok<Page<Assessments.CheckInDto>>, NotFound>> (string personId, ClaimsPrincipal user, Caseload service, CancellationToken ct) =>
        {
            return await service.CheckInsAsync(Id(user), personId, ct) is { } rows ? TypedResults.Ok(new Page<Assessments.CheckInDto>(rows, null)) : TypedResults.NotFound();
        });
        caseload.MapPost("/{personId}/assignments", async Task<Results<Created<AssignmentDto>, ValidationProblem, NotFound>> (string personId, AssignmentInput body, ClaimsPrincipal user, CareAssignments service, CancellationToken ct) =>
        {
            var (assignment, found, errors) = await service.CreateAsync(Id(user), personId, body, ct);
            if (!found) return TypedResults.NotFound();
            if (errors is not null) return errors.ToProblem();
            return TypedResults.Created($"/api/v1/caseload/{personId}", assignment!);
        });
        caseload.MapPut("/{personId}/phases/{number:int}", async Task<Results<NoContent, ValidationProblem, NotFound>> (string personId, int number, PhaseInput body, ClaimsPrincipal user, Caseload service, CancellationToken ct) =>
        {
            var (found, errors) = await service.SetPhaseAsync(Id(user), personId, number, body, ct);
            if (!found) return TypedResults.NotFound();
            return errors is not null ? errors.ToProblem() : TypedResults.NoContent();
        });

        caseload.MapGet("/{personId}/notes", async Task<Results<Ok<Page<NoteDto>>, NotFound>> (string personId, ClaimsPrincipal user, SessionNotes notes, CancellationToken ct) =>
        {
            return await notes.ListAsync(Id(user), personId, ct) is { } rows ? TypedResults.Ok(new Page<NoteDto>(rows, null)) : TypedResults.NotFound();
        });
        caseload.MapPost("/{personId}/notes", async Task<Results<Created<NoteDto>, ValidationProblem, NotFound>> (string personId, NoteInput body, ClaimsPrincipal user, SessionNotes notes, CancellationToken ct) =>
        {
            var (note, found, errors) = await notes.CreateAsync(Id(user), personId, body, ct);
            if (!found) return TypedResults.NotFound();
            if (errors is not null) return errors.ToProblem();
            return TypedResults.Created($"/api/v1/notes/{note!.Id}", note);
        });
        caseload.MapPost("/{personId}/appointments", async Task<Results<Created<IReadOnlyList<AppointmentDto>>, ValidationProblem, NotFound>> (string personId, ProposalInput body, ClaimsPrincipal user, Appointments appointments, CancellationToken ct) =>
        {
            var (options, found, errors) = await appointments.ProposeAsync(Id(user), personId, body, ct);
            if (!found) return TypedResults.NotFound();
            if (errors is not null) return errors.ToProblem();
            return TypedResults.Created("/api/v1/appointments", options!);
        });
        var appointmentsApi = app.MapGroup("/api/v1/appointments").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Care");
        appointmentsApi.MapGet("", async (ClaimsPrincipal user, Appointments appointments, CancellationToken ct) =>
            TypedResults.Ok(new Page<AppointmentDto>(await appointments.ListAsync(Id(user), ct), null)));
        appointmentsApi.MapPost("/{id:guid}/accept", async Task<Results<Ok<AppointmentDto>, ValidationProblem, NotFound>> (Guid id, ClaimsPrincipal user, Appointments appointments, CancellationToken ct) =>
        {
            var (a, errors) = await appointments.AcceptAsync(Id(user), id, ct);
            if (errors is not null) return errors.ToProblem();
            return a is null ? TypedResults.NotFound() : TypedResults.Ok(a);
        });
        appointmentsApi.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, Appointments appointments, CancellationToken ct) =>
            await appointments.CancelAsync(Id(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        appointmentsApi.MapGet("/{id:guid}/ics", async Task<Results<FileContentHttpResult, NotFound>> (Guid id, ClaimsPrincipal user, Appointments appointments, CancellationToken ct) =>
            await appointments.IcsAsync(Id(user), id, ct) is { } ics
                ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", "attune-session.ics") : TypedResults.NotFound());

        var notesApi = app.MapGroup("/api/v1/notes").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Care");
        notesApi.MapPut("/{id:guid}", async Task<Results<Ok<NoteDto>, ValidationProblem, NotFound>> (Guid id, NoteInput body, ClaimsPrincipal user, SessionNotes notes, CancellationToken ct) =>
        {
            var (note, errors) = await notes.UpdateAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return note is null ? TypedResults.NotFound() : TypedResults.Ok(note);
        });
        notesApi.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, SessionNotes notes, CancellationToken ct) =>
            await notes.DeleteAsync(Id(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        notesApi.MapGet("/export", async (ClaimsPrincipal user, SessionNotes notes, CancellationToken ct) =>
            TypedResults.File(System.Text.Encoding.UTF8.GetBytes(await notes.ExportAsync(Id(user), ct)), "text/markdown; charset=utf-8", "attune-session-notes.md")).RequireTherapist();

        app.MapGet("/api/v1/assignments", async (ClaimsPrincipal user, CareAssignments service, CancellationToken ct) =>
            TypedResults.Ok(new Page<AssignmentDto>(await service.ForPersonAsync(Id(user), ct), null))).RequireAuthorization(AccountApi.ApiPolicy).WithTags("Care");

        // Administrators: verify licences and hide profiles. Nothing here reads anyone's personal content.
        var admin = app.MapGroup("/api/v1/admin/therapists").RequireAuthorization(Administrators.Policy).WithTags("Care");
        admin.MapGet("", async (TherapistDirectory directory, CancellationToken ct) => TypedResults.Ok(new Page<AdminProfileDto>(await directory.AllForAdminAsync(ct), null)));
        admin.MapPost("/{id:guid}/verification", async Task<Results<NoContent, NotFound, ValidationProblem>> (Guid id, AdminVerification body, ClaimsPrincipal user, TherapistDirectory directory, Infrastructure.AuditLog audit, CancellationToken ct) =>
        {
            if (body.Verified is null && body.Hidden is null) return new FieldErrors().Add("verified", "Please say whether the licence is verified, or whether the profile is hidden.").ToProblem();
            return await directory.AdminSetAsync(id, Id(user), body.Verified, body.Hidden, audit, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
        });
        return app;
    }

    public sealed record AdminVerification(bool? Verified, bool? Hidden);

    public static (DirectoryQuery Query, FieldErrors Errors) ParseQuery(string? q, string? modality, string? format, string? language, string? country,
        string? accepting, string? limit, string? cursor, string? region = null)
    {
        var errors = new FieldErrors();
        bool? accept = accepting switch
        {
            null or "" => null,
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => null,
        };
        if (accept is null && !string.IsNullOrEmpty(accepting)) errors.Add("accepting", "Please use true or false.");
        var size = TherapistDirectory.DefaultPage;
        if (!string.IsNullOrEmpty(limit) && !int.TryParse(limit, out size)) errors.Add("limit", "Please give a whole number.");
        var query = new DirectoryQuery(q?.Trim(), Empty(modality), Empty(format), Empty(language), Empty(country), accept, size, Empty(cursor), Empty(region));
        foreach (var (field, message) in TherapistDirectory.Validate(query).Items) errors.Add(field, message);
        return (query, errors);
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static async Task<Results<Ok<CareDto>, NotFound>> AnswerAsync(Guid id, bool accept, ClaimsPrincipal user, CareService service, CancellationToken ct) =>
        await service.AnswerAsync(Id(user), id, accept, ct) is { } c ? TypedResults.Ok(c) : TypedResults.NotFound();

    public static string Id(ClaimsPrincipal user) => CurrentPerson.IdOf(user)!;
}

/// <summary>My therapist profile, my care relationships, the assignments my therapists gave me, our messages, and the session notes I wrote as a therapist.</summary>
internal sealed class CareSection(TherapistDirectory directory, CareService care, CareAssignments assignments, CareMessages messages, SessionNotes notes,
    Appointments appointments) : Privacy.IExportSection
{
    public string Name => "care";

    public async Task<object?> ReadAsync(Data.AttuneDb db, string userId, CancellationToken ct)
    {
        var relationships = await care.ListAsync(userId, ct);
        var conversations = new List<CareConversation>();
        foreach (var r in relationships.Where(r => r.Status == CareStatus.Active))
            if (await messages.GetAsync(userId, r.Id, ct) is { } c) conversations.Add(c);
        return new
        {
            therapistProfile = await directory.MineAsync(userId, ct),
            relationships,
            assignments = await assignments.ForPersonAsync(userId, ct),
            conversations,
            appointments = await appointments.ListAsync(userId, ct),
            sessionNotesIWrote = await notes.AllAsync(userId, ct),
        };
    }
}
