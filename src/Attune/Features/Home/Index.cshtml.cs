using System.Globalization;
using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Home;

/// <summary>Signed out: what Attune is. Signed in: Today, with the person's people, and a welcome the first time.</summary>
[AllowAnonymous]
public sealed class IndexModel(Today today, TodayPeople people, Care.CareAssignments assignments, Groups.Room.RoomLinks rooms, AttuneDb db, CurrentPerson me,
    PersonSnapshots snapshots, TimeProvider clock) : PageModel
{
    /// <summary>What Today gathers from its many rows, kept briefly per person (see <see cref="PersonSnapshots"/> for when it is dropped).</summary>
    internal sealed record Snapshot(TodayView Today, TodayPeopleView People, IReadOnlyList<Care.AssignmentDto> Assignments, Groups.Room.TodayRoom? Room);

    internal const string SnapshotKind = "today";

    public TodayView? Today { get; private set; }
    public TodayPeopleView? People { get; private set; }
    public IReadOnlyList<Care.AssignmentDto> Assignments { get; private set; } = [];

    /// <summary>A group meeting of mine whose room is open now or opens within the hour (null if none).</summary>
    public Groups.Room.TodayRoom? Room { get; private set; }

    /// <summary>The welcome's first guesses: the person's own choices if made, else from the browser's languages.</summary>
    [BindProperty] public string? Country { get; set; }
    [BindProperty] public string? TimeZone { get; set; }
    public string? WelcomeError { get; private set; }

    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    public string Local(DateTimeOffset at, string format) => TimeZoneInfo.ConvertTime(at, _zone).ToString(format, CultureInfo.InvariantCulture);

    /// <summary>"5 minutes ago", for a reach still waiting.</summary>
    public string Ago(DateTimeOffset at)
    {
        var minutes = (int)Math.Max(0, (clock.GetUtcNow() - at).TotalMinutes);
        return minutes < 1 ? "Just now." : minutes < 60 ? $"{minutes} minute{(minutes == 1 ? "" : "s")} ago." : $"At {Local(at, "HH:mm")}.";
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (me.IdOrNull is not { } id) return;
        await LoadAsync(id, ct);
    }

    private async Task LoadAsync(string id, CancellationToken ct)
    {
        var snapshot = snapshots.Get<Snapshot>(SnapshotKind, id, PersonSnapshotsMiddleware.WroteAt(Request));
        if (snapshot is null)
        {
            var start = snapshots.Begin(id);
            // One connection for every read below (about a dozen), instead of an open and close for each part.
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                var view = await today.ForAsync(id, ct);
                var mine = await people.ForAsync(id, view.TimeZone, ct);
                snapshot = new Snapshot(view, mine,
                    (await assignments.ForPersonAsync(id, mine.MyCare, ct)).Where(a => a.DoneAt is null).ToList(), await rooms.NearestAsync(id, ct));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
            snapshots.Set(SnapshotKind, start, snapshot);
        }
        (Today, People, Assignments, Room) = snapshot;
        _zone = await me.ZoneAsync(ct);
        Country ??= Today.Country ?? Places.CountryFromLanguages(Request.Headers.AcceptLanguage);
        TimeZone ??= Today.TimeZone;
    }

    /// <summary>The welcome's answer: country and time zone (either may be left as it is), and the person counts as welcomed.</summary>
    public async Task<IActionResult> OnPostWelcomeAsync(CancellationToken ct)
    {
        if (me.IdOrNull is not { } id) return Challenge();
        var errors = MeEndpoints.Validate(new MePatch(null, string.IsNullOrEmpty(TimeZone) ? null : TimeZone, Country ?? ""));
        if (errors.Any)
        {
            WelcomeError = "Please choose your country and time zone from the lists.";
            await LoadAsync(id, ct);
            return Page();
        }
        var user = await db.Users.FirstAsync(u => u.Id == id, ct);
        if (!string.IsNullOrEmpty(TimeZone)) user.TimeZone = TimeZone;
        user.Country = string.IsNullOrEmpty(Country) ? null : Country.ToUpperInvariant();
        user.WelcomedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        TempData["Status"] = user.Country is null
            ? "Thank you. You'll see crisis lines from around the world; you can choose your country in your profile whenever you like."
            : $"Thank you. Crisis lines for {Places.CountryName(user.Country)} are one tap away at the top of every page.";
        return RedirectToPage();
    }
}
