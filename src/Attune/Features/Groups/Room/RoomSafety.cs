using Attune.Data;
using Attune.Features.Journal;
using Attune.Features.Safety;
using Attune.Features.Sharing;
using Attune.Infrastructure;

namespace Attune.Features.Groups.Room;

/// <summary>
/// The room's checks on words before they are sealed: crisis language in a post, a check-in or
/// check-out word or a reflection (<see cref="CrisisLanguage"/>), and, for reflections, an opener that
/// reads as advice (<see cref="WitnessCheck"/>, the same gentle question a shared item asks). It stores
/// and logs nothing; only the two flags go on. After a crisis flag, the writer alone is answered with
/// their crisis lines, the start of their own safety plan and their one-tap reach.
/// </summary>
public sealed class RoomSafety(CrisisLanguage crisisLanguage, CrisisResources crisis, SafetyPlans plans, IReachOffers offers,
    PersonProfiles profiles, AttuneDb db) : IRoomTextCheck
{
    /// <summary>Warning signs help while planning, not in a hard moment, so the panel starts from what to do.</summary>
    private static readonly string[] InTheMoment = ["copingStrategies", "distractions", "helpers", "professionals"];

    public const int PlanItems = 4;

    public TextVerdict Check(string text, bool isWitness) =>
        new(crisisLanguage.Mentions([text]), isWitness && GroupWitness.LooksLikeAdvice(text));

    public async Task<RoomSafetyDto> SafetyForAsync(string userId, CancellationToken ct)
    {
        var plan = await plans.GetAsync(userId, ct);
        var items = SafetyPlanSections.All.Where(s => InTheMoment.Contains(s.Field)).SelectMany(s => s.Items(plan)).Take(PlanItems).ToList();
        var country = (await profiles.GetAsync(db, userId, ct))?.Country;
        return new RoomSafetyDto(true, crisis.For(country), items, await offers.OfferAsync(userId, ct));
    }
}
