using Attune.Features.Journey;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

/// <summary>One person on the caseload: what they agreed to show, phases, and assignments.</summary>
public sealed class CaseloadPersonModel(CareService care, Caseload caseload, CareAssignments assignments, TherapistDirectory directory, Practices practices, SessionNotes notes, Appointments appointments)
    : SignedInPageModel
{
    public CaseloadEntry Entry { get; private set; } = null!;
    public IReadOnlyList<AppointmentDto> Times { get; private set; } = [];
    public string TimeZone { get; private set; } = "UTC";
    [BindProperty] public List<string?> Options { get; set; } = [];
    [BindProperty] public int? Minutes { get; set; }
    [BindProperty] public string? Where { get; set; }
    public IReadOnlyList<NoteDto> Notes { get; private set; } = [];
    [BindProperty] public string? NoteText { get; set; }
    [BindProperty] public string? SessionDate { get; set; }
    public IEnumerable<Practice> AllPractices => practices.All.OrderBy(p => p.Phase).ThenBy(p => p.Title);
    [BindProperty] public string? Practice { get; set; }
    [BindProperty] public string? Instrument { get; set; }
    [BindProperty] public string? DueAt { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public int? RepeatEveryDays { get; set; }

    private async Task<bool> LoadAsync(string personId, CancellationToken ct)
    {
        if (!await directory.IsWorkingAsync(UserId, ct) || await caseload.PersonAsync(UserId, personId, ct) is not { } e) return false;
        Entry = e;
        Notes = await notes.ListAsync(UserId, personId, ct) ?? [];
        Times = (await appointments.ListAsync(UserId, ct)).Where(a => a.CareId == e.CareId).ToList();
        TimeZone = await appointments.ZoneOfAsync(UserId, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string personId, CancellationToken ct) => await LoadAsync(personId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAssignAsync(string personId, CancellationToken ct)
    {
        if (!await directory.IsWorkingAsync(UserId, ct)) return NotFound();
        var what = Practice ?? "";
        var input = what.StartsWith("checkin:", StringComparison.Ordinal)
            ? new AssignmentInput(null, what["checkin:".Length..], DueAt, Note, RepeatEveryDays)
            : new AssignmentInput(string.IsNullOrEmpty(what) ? null : what, null, DueAt, Note, RepeatEveryDays);
        var (_, found, errors) = await assignments.CreateAsync(UserId, personId, input, ct);
        if (!found) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            if (ModelState.TryGetValue("instrument", out var e) && e.Errors.Count > 0) ModelState.AddModelError("practice", e.Errors[0].ErrorMessage);
            await LoadAsync(personId, ct);
            return Page();
        }
        TempData["Status"] = "Sent. They'll see it on their Today page.";
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostPhaseAsync(string personId, int number, string open, string? reason, CancellationToken ct)
    {
        if (!await directory.IsWorkingAsync(UserId, ct)) return NotFound();
        bool? state = open switch { "open" => true, "close" => false, _ => null };
        var (found, errors) = await caseload.SetPhaseAsync(UserId, personId, number, new PhaseInput(state, reason), ct);
        if (!found) return NotFound();
        TempData["Status"] = errors is null ? "Done. They can see this change, and your reason, in their access log." : string.Join(" ", errors.Items.Select(e => e.Message));
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostNoteAsync(string personId, Guid? noteId, CancellationToken ct)
    {
        if (!await directory.IsWorkingAsync(UserId, ct)) return NotFound();
        FieldErrors? errors;
        if (noteId is { } id)
        {
            var (note, e) = await notes.UpdateAsync(UserId, id, new NoteInput(SessionDate, NoteText), ct);
            if (note is null && e is null) return NotFound();
            errors = e;
        }
        else
        {
            var (_, found, e) = await notes.CreateAsync(UserId, personId, new NoteInput(SessionDate, NoteText), ct);
            if (!found) return NotFound();
            errors = e;
        }
        if (errors is not null)
        {
            Show(errors);
            if (!await LoadAsync(personId, ct)) return NotFound();
            return Page();
        }
        TempData["Status"] = "Your note is saved. Only you can read it.";
        return RedirectToPage(new { personId });
    }

    /// <summary>Times typed in the therapist's own time zone (a datetime-local field), offered to the person.</summary>
    public async Task<IActionResult> OnPostProposeAsync(string personId, CancellationToken ct)
    {
        if (!await LoadAsync(personId, ct)) return NotFound();
        var zone = Appointments.Zone(TimeZone);
        var options = new List<string>();
        foreach (var o in Options.Where(o => !string.IsNullOrWhiteSpace(o)))
        {
            if (!DateTime.TryParse(o, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local))
            {
                ModelState.AddModelError("options", "Please choose a date and a time.");
                return Page();
            }
            var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
            options.Add(new DateTimeOffset(utc, TimeSpan.Zero).ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        }
        var (_, found, errors) = await appointments.ProposeAsync(UserId, personId, new ProposalInput(options, Minutes, Where), ct);
        if (!found) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            return Page();
        }
        TempData["Status"] = "Sent. They'll choose the time that works.";
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostCancelTimeAsync(string personId, Guid appointmentId, CancellationToken ct)
    {
        if (!await appointments.CancelAsync(UserId, appointmentId, ct)) return NotFound();
        TempData["Status"] = "Cancelled. They've been told.";
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostDeleteNoteAsync(string personId, Guid noteId, CancellationToken ct)
    {
        if (!await notes.DeleteAsync(UserId, noteId, ct)) return NotFound();
        TempData["Status"] = "The note is deleted.";
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostEndAsync(string personId, CancellationToken ct)
    {
        if (!await LoadAsync(personId, ct) || !await care.EndAsync(UserId, Entry.CareId, ct)) return NotFound();
        TempData["Status"] = "It has ended. You no longer see anything of theirs.";
        return Redirect("/caseload");
    }
}
