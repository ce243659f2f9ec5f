using System.Globalization;
using Attune.Data;
using Attune.Features.Safety;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Assessments;

/// <summary>One result. Someone else's result answers 404, as does one that doesn't exist.</summary>
public sealed class ResultModel(Instruments instruments, CheckIns checkIns, CrisisResources crisis, AttuneDb db, Journey.Practices practices, Circle.CircleService circle, Safety.IReachOffers offers) : SignedInPageModel
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
            TherapistsWhoSee = await (from c in db.Set<Care.CareRelationship>().AsNoTracking()
                                      where c.PersonId == me && c.Status == Care.CareStatus.Active && c.ConsentCheckIns
                                      join p in db.Set<Care.TherapistProfile>().AsNoTracking() on c.TherapistId equals p.UserId into profiles
                                      from p in profiles.DefaultIfEmpty()
                                      select p == null ? "your therapist" : p.Name).ToListAsync(ct);
            var shares = await db.Set<Sharing.Share>().AsNoTracking().Where(s => s.OwnerId == me && s.ItemType == "checkin" && s.ItemId == id)
                .Select(s => new { s.WithUserId }).ToListAsync(ct);
            if (shares.Count > 0)
            {
                var circleNames = (await circle.ListAsync(me, ct)).Supporters.ToDictionary(m => m.UserId, m => m.Name);
                var therapistNames = await db.Set<Care.TherapistProfile>().AsNoTracking().Where(p => shares.Select(s => s.WithUserId).Contains(p.UserId))
                    .ToDictionaryAsync(p => p.UserId, p => p.Name, ct);
                SharedWith = shares.Select(s => circleNames.GetValueOrDefault(s.WithUserId) ?? therapistNames.GetValueOrDefault(s.WithUserId) ?? "someone").ToList();
            }
        }
        return Page();
    }

    /// <summary>"A", "A and B", "A, B and C".</summary>
    public static string Names(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
}
