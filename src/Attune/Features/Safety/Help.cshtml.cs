using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;

namespace Attune.Features.Safety;

/// <summary>
/// Open to everyone, signed in or not: the person's own country's lines first, every other country
/// with a listed service in a list that can be searched, and services that reach anywhere. A
/// signed-in person can also reach their own people in one tap.
/// </summary>
[AllowAnonymous]
public sealed class HelpModel(CrisisResources crisis, CurrentPerson person, IReachOffers offers) : CrisisLinesPageModel(crisis, person, "/help")
{
    public IReadOnlyList<(string Code, CrisisRegion Region)> All => Lines.AllFor(Answer.Country);
    public ReachOffer? Offer { get; private set; }

    protected override async Task LoadMoreAsync(CancellationToken ct)
    {
        if (CurrentPerson.IdOf(User) is { } id) Offer = await offers.OfferAsync(id, ct);
    }
}
