using System.Globalization;
using System.Text;
using Attune.Data;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>
/// A therapist's private session notes. Sealed under the therapist's own key and readable only by
/// them: not by the person, not by administrators. New notes need an active relationship; notes
/// already written stay readable and exportable by their author after it ends.
/// </summary>
public sealed class SessionNotes(AttuneDb db, CareService care, TimeProvider clock)
{
    public const int MaxText = 20_000, MaxNotes = 5000;

    private async Task<bool> ActiveAsync(string therapistId, string personId, CancellationToken ct) =>
        await care.ActiveBetweenAsync(therapistId, personId, ct) is not null;

    /// <summary>My notes about one person, newest session first; null (404) when I have neither a relationship with them nor notes about them.</summary>
    public async Task<IReadOnlyList<NoteDto>?> ListAsync(string therapistId, string personId, CancellationToken ct = default)
    {
        var rows = await db.Set<SessionNote>().AsNoTracking().Where(n => n.TherapistId == therapistId && n.PersonId == personId)
            .OrderByDescending(n => n.SessionDate).ThenByDescending(n => n.CreatedAt).ToListAsync(ct);
        if (rows.Count == 0 && !await ActiveAsync(therapistId, personId, ct)) return null;
        var result = new List<NoteDto>();
        foreach (var n in rows) result.Add(await DtoAsync(n, ct));
        return result;
    }

    public async Task<(NoteDto? Note, bool Found, FieldErrors? Errors)> CreateAsync(string therapistId, string personId, NoteInput input, CancellationToken ct = default)
    {
        if (!await ActiveAsync(therapistId, personId, ct)) return (null, false, null);
        var (date, text, errors) = Validate(input);
        if (!errors.Any && await db.Set<SessionNote>().CountAsync(n => n.TherapistId == therapistId, ct) >= MaxNotes)
            errors.Add("text", $"You have {MaxNotes} notes. Please export and remove some first.");
        if (errors.Any) return (null, true, errors);
        var now = clock.GetUtcNow().UtcDateTime;
        var note = new SessionNote { Id = Infrastructure.SequentialGuid.Next(), TherapistId = therapistId, PersonId = personId, SessionDate = date!.Value, CreatedAt = now, UpdatedAt = now };
        note.Text = await db.SealAsync(therapistId, SessionNote.Table, note.Id.ToString(), "text", text!, ct);
        note.PersonName = await db.SealAsync(therapistId, SessionNote.Table, note.Id.ToString(), "personName", await care.PersonNameAsync(personId, ct), ct);
        db.Add(note);
        await db.SaveChangesAsync(ct);
        return (await DtoAsync(note, ct), true, null);
    }

    public async Task<(NoteDto? Note, FieldErrors? Errors)> UpdateAsync(string therapistId, Guid id, NoteInput input, CancellationToken ct = default)
    {
        var note = await db.Set<SessionNote>().FirstOrDefaultAsync(n => n.Id == id && n.TherapistId == therapistId, ct);
        if (note is null) return (null, null);
        var (date, text, errors) = Validate(input);
        if (errors.Any) return (null, errors);
        note.SessionDate = date!.Value;
        note.Text = await db.SealAsync(therapistId, SessionNote.Table, note.Id.ToString(), "text", text!, ct);
        note.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return (await DtoAsync(note, ct), null);
    }

    public async Task<bool> DeleteAsync(string therapistId, Guid id, CancellationToken ct = default)
    {
        var note = await db.Set<SessionNote>().FirstOrDefaultAsync(n => n.Id == id && n.TherapistId == therapistId, ct);
        if (note is null) return false;
        db.Remove(note);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Every note I wrote, as one Markdown document, grouped by person.</summary>
    public async Task<string> ExportAsync(string therapistId, CancellationToken ct = default)
    {
        var notes = new List<NoteDto>();
        foreach (var n in await db.Set<SessionNote>().AsNoTracking().Where(n => n.TherapistId == therapistId).OrderBy(n => n.PersonId).ThenBy(n => n.SessionDate).ToListAsync(ct))
            notes.Add(await DtoAsync(n, ct));
        var md = new StringBuilder("# Session notes\n\nExported from Attune. Keep this file as safely as your other clinical records.\n");
        foreach (var person in notes.GroupBy(n => n.PersonId))
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {person.Last().PersonName}\n");
            foreach (var n in person) md.Append(CultureInfo.InvariantCulture, $"\n### {n.SessionDate}\n\n{n.Text}\n");
        }
        return md.ToString();
    }

    public async Task<IReadOnlyList<NoteDto>> AllAsync(string therapistId, CancellationToken ct = default)
    {
        var result = new List<NoteDto>();
        foreach (var n in await db.Set<SessionNote>().AsNoTracking().Where(n => n.TherapistId == therapistId).OrderBy(n => n.SessionDate).ToListAsync(ct))
            result.Add(await DtoAsync(n, ct));
        return result;
    }

    private (DateOnly? Date, string? Text, FieldErrors Errors) Validate(NoteInput input)
    {
        var errors = new FieldErrors();
        var date = string.IsNullOrEmpty(input.SessionDate) ? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) : errors.Day("sessionDate", input.SessionDate);
        var text = input.Text?.Trim();
        if (string.IsNullOrEmpty(text)) errors.Add("text", "Please write the note.");
        errors.MaxLength("text", text, MaxText);
        return (date, text, errors);
    }

    private async Task<NoteDto> DtoAsync(SessionNote n, CancellationToken ct) =>
        new(n.Id, n.PersonId, await db.OpenAsync(n.TherapistId, SessionNote.Table, n.Id.ToString(), "personName", n.PersonName, ct),
            n.SessionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await db.OpenAsync(n.TherapistId, SessionNote.Table, n.Id.ToString(), "text", n.Text, ct),
            new DateTimeOffset(n.CreatedAt), new DateTimeOffset(n.UpdatedAt));
}
