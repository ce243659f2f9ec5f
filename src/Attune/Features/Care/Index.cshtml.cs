using Attune.Infrastructure;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

/// <summary>
/// My care: my therapists and what each may see; for therapists, the way to the workspace. What it
/// gathers is kept briefly per person, as Today is (<see cref="PersonSnapshots"/>): their own writes,
/// a saved care relationship or therapist profile naming them, and the live events a therapist's
/// assignment, time or message sends them each drop it.
/// </summary>
public sealed class CareIndexModel(CareService care, CareAssignments assignments, TherapistDirectory directory, Appointments appointments, PersonSnapshots snapshots)
    : SignedInPageModel
{
    internal const string SnapshotKind = "care";

    private sealed record Snapshot(IReadOnlyList<CareDto> Mine, MyProfileDto? Profile, IReadOnlyList<AssignmentDto> Assignments, IReadOnlyList<AppointmentDto> Times);

    public IReadOnlyList<CareDto> Mine { get; private set; } = [];
    public IReadOnlyList<AppointmentDto> Times { get; private set; } = [];
    public MyProfileDto? Profile { get; private set; }
    public IReadOnlyList<AssignmentDto> Assignments { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var kept = snapshots.Get<Snapshot>(SnapshotKind, UserId, PersonSnapshotsMiddleware.WroteAt(Request));
        if (kept is null)
        {
            var start = snapshots.Begin(UserId);
            kept = new Snapshot((await care.ListAsync(UserId, ct)).Where(c => c.Role == "person").ToList(), await directory.MineAsync(UserId, ct),
                await assignments.ForPersonAsync(UserId, ct), await appointments.ListAsync(UserId, ct));
            snapshots.Set(SnapshotKind, start, kept);
        }
        (Mine, Profile, Assignments, Times) = kept;
    }

    public async Task<IActionResult> OnPostAcceptTimeAsync(Guid appointmentId, CancellationToken ct)
    {
        var (a, errors) = await appointments.AcceptAsync(UserId, appointmentId, ct);
        if (a is null && errors is null) return NotFound();
        TempData["Status"] = errors is null ? $"Agreed: {a!.LocalStart} ({Account.Places.ZoneTime(a.TimeZone)}). You can add it to your calendar below." : string.Join(" ", errors.Items.Select(e => e.Message));
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCancelTimeAsync(Guid appointmentId, CancellationToken ct)
    {
        if (!await appointments.CancelAsync(UserId, appointmentId, ct)) return NotFound();
        TempData["Status"] = "Done. They've been told, without any reason given.";
        return RedirectToPage();
    }

    /// <summary>An agreed time as a calendar file; for either of the two.</summary>
    public async Task<IActionResult> OnGetIcsAsync(Guid appointmentId, CancellationToken ct) =>
        await appointments.IcsAsync(UserId, appointmentId, ct) is { } ics
            ? File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", "attune-session.ics") : NotFound();

    public async Task<IActionResult> OnPostConsentsAsync(Guid id, bool journey, bool checkIns, bool activations, CancellationToken ct)
    {
        var (c, errors) = await care.SetConsentsAsync(UserId, id, new ConsentsPatch(journey, checkIns, activations), ct);
        if (c is null && errors is null) return NotFound();
        TempData["Status"] = errors is null ? "Saved. This takes effect straight away." : string.Join(" ", errors.Items.Select(e => e.Message));
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndAsync(Guid id, CancellationToken ct)
    {
        if (!await care.EndAsync(UserId, id, ct)) return NotFound();
        TempData["Status"] = "It has ended. They can no longer see anything of yours.";
        return RedirectToPage();
    }
}
