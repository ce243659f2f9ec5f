using System.Text.Json;
using Attune.Data;
using Attune.Features.Privacy;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journey;

public sealed class PracticeSessions(AttuneDb db, Practices practices, JourneyRules rules, TimeProvider clock)
{
    public const int MaxAnswerLength = 10_000;
    public static readonly IReadOnlyList<string> Choices = ["grounding", "pause", "reach"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public enum StartOutcome { Started, NotFound, Locked }

    public async Task<(StartOutcome Outcome, SessionDto? Session, FieldErrors? Errors, string? LockedReason)> StartAsync(string ownerId, string slug, int? sudsBefore, CancellationToken ct = default)
    {
        if (practices.Find(slug) is not { } practice) return (StartOutcome.NotFound, null, null, null);
        var errors = new FieldErrors();
        if (sudsBefore is null) errors.Add("sudsBefore", "Please rate how you feel right now, from 0 (calm) to 10 (the most upset you can imagine).");
        errors.Range("sudsBefore", sudsBefore, 0, 10);
        if (errors.Any) return (StartOutcome.Started, null, errors, null);
        var phase = (await rules.StatusAsync(ownerId, ct)).First(p => p.Number == practice.Phase);
        if (phase.Status == "locked") return (StartOutcome.Locked, null, null, phase.LockedReason);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new PracticeSession
        {
            Id = Infrastructure.SequentialGuid.Next(),
            OwnerId = ownerId,
            PracticeSlug = slug,
            Phase = practice.Phase,
            StartedAt = now,
            UpdatedAt = now,
            SudsBefore = sudsBefore!.Value,
        };
        row.SupportOffered = Distress.SupportReason(row.SudsBefore, null) is not null;
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return (StartOutcome.Started, ToDto(row, new Dictionary<string, string>()), null, null);
    }

    public async Task<SessionDto?> GetAsync(string ownerId, Guid id, CancellationToken ct = default)
    {
        var row = await db.Set<PracticeSession>().AsNoTracking().OwnedBy(ownerId).FirstOrDefaultAsync(s => s.Id == id, ct);
        return row is null ? null : ToDto(row, await AnswersAsync(row, ct));
    }

    /// <summary>Checks the whole update first; on any error nothing is saved.</summary>
    public async Task<(SessionDto? Session, FieldErrors? Errors)> UpdateAsync(string ownerId, Guid id, SessionUpdate update, CancellationToken ct = default)
    {
        var row = await db.Set<PracticeSession>().OwnedBy(ownerId).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (row is null || practices.Find(row.PracticeSlug) is not { } practice) return (null, null);
        var errors = new FieldErrors().Range("sudsNow", update.SudsNow, 0, 10).Range("sudsAfter", update.SudsAfter, 0, 10);
        var stepIds = practice.Steps.Where(s => s.Prompt is not null).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in update.Answers ?? [])
        {
            if (!stepIds.Contains(key)) errors.Add($"answers.{key}", "This practice has no step with that id.");
            else errors.MaxLength($"answers.{key}", value, MaxAnswerLength);
        }
        if (update.Choice is not null && !Choices.Contains(update.Choice)) errors.Add("choice", "Please choose grounding, pause or reach.");
        if (update.Completed == true && update.SudsAfter is null && row.SudsAfter is null)
            errors.Add("sudsAfter", "Please rate how you feel now, before finishing.");
        if (errors.Any) return (null, errors);

        var answers = await AnswersAsync(row, ct);
        foreach (var (key, value) in update.Answers ?? [])
        {
            if (string.IsNullOrEmpty(value)) answers.Remove(key);
            else answers[key] = value;
        }
        row.Answers = answers.Count == 0 ? null
            : await db.SealAsync(ownerId, PracticeSession.Table, row.Id.ToString(), "answers", JsonSerializer.Serialize(answers, Json), ct);
        if (update.SudsNow is not null) row.SudsLatest = update.SudsNow;
        if (update.SudsAfter is not null) row.SudsAfter = row.SudsLatest = update.SudsAfter;
        if (update.Choice is not null) row.Choice = update.Choice;
        if (Distress.SupportReason(row.SudsBefore, row.SudsLatest) is not null) row.SupportOffered = true;
        if (update.Completed == true && row.CompletedAt is null) row.CompletedAt = clock.GetUtcNow().UtcDateTime;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return (ToDto(row, answers), null);
    }

    private async Task<Dictionary<string, string>> AnswersAsync(PracticeSession row, CancellationToken ct) =>
        row.Answers is null ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(await db.OpenAsync(row.OwnerId, PracticeSession.Table, row.Id.ToString(), "answers", row.Answers, ct), Json) ?? [];

    public static SessionDto ToDto(PracticeSession row, IReadOnlyDictionary<string, string> answers)
    {
        var reason = Distress.SupportReason(row.SudsBefore, row.SudsLatest);
        return new SessionDto(row.Id, row.PracticeSlug, row.Phase, new DateTimeOffset(row.StartedAt), new DateTimeOffset(row.UpdatedAt),
            row.CompletedAt is { } c ? new DateTimeOffset(c) : null, row.SudsBefore, row.SudsLatest, row.SudsAfter, answers,
            new SupportDto(reason is not null, reason, Choices), row.Choice);
    }

    internal async Task<List<object>> ExportAsync(string ownerId, CancellationToken ct)
    {
        var rows = await db.Set<PracticeSession>().AsNoTracking().OwnedBy(ownerId).OrderBy(s => s.StartedAt).ToListAsync(ct);
        var result = new List<object>();
        foreach (var r in rows) result.Add(ToDto(r, await AnswersAsync(r, ct)));
        return result;
    }
}

internal sealed class PracticeSessionsSection(PracticeSessions sessions) : IExportSection
{
    public string Name => "practiceSessions";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct) => await sessions.ExportAsync(userId, ct);
}
