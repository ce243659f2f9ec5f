using System.Globalization;
using Attune.Features.Safety;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Assessments;

/// <summary>One result. Someone else's result answers 404, as does one that doesn't exist.</summary>
public sealed class ResultModel(Instruments instruments, CheckIns checkIns, CrisisResources crisis, Journey.Practices practices, Safety.IReachOffers offers,
    IEnumerable<ICheckInViewers> checkInViewers, Sharing.Shares shares) : SignedInPageModel
{
    public Journey.Practices Practices => practices;

    public Instrument Instrument { get; private set; } = null!;
    public CheckInDto Result { get; private set; } = null!;
    public CrisisAnswer Crisis { get; private set; } = null!;
    public Safety.ReachOffer Offer { get; private set; } = new(0);
    /// <summary>For the safety answer: therapists who see check-in scores (and so this answer's flag), from the person's own consents.</summary>
    public IReadOnlyList<string> TherapistsWhoSee { get; private set; } = [];
    /// <summary>People this very result has been shared with, who can read its score.</summary>
    public IReadOnlyList<string> SharedWith { get; private set; } = [];
    public string TakenAt { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        var me = UserId;
        var result = await checkIns.FindAsync(me, id, withAnswers: false, ct);
        if (result is null || result.Instrument != code || instruments.Find(code) is not { } instrument) return NotFound();
        (Instrument, Result) = (instrument, result);
        var zone = await Me.ZoneAsync(ct);
        TakenAt = TimeZoneInfo.ConvertTime(result.TakenAt, zone).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
        if (result.Safety)
        {
            Crisis = crisis.For(await Me.CountryAsync(ct));
            Offer = await offers.OfferAsync(me, ct);
            foreach (var viewers in checkInViewers) TherapistsWhoSee = [.. TherapistsWhoSee, .. await viewers.NamesAsync(me, ct)];
            SharedWith = await shares.SharedWithAsync(me, "checkin", id, ct);
        }
        return Page();
    }

    /// <summary>"A", "A and B", "A, B and C".</summary>
    public static string Names(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
}
