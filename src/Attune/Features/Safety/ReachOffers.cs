namespace Attune.Features.Safety;

/// <summary>What the one-tap reach needs to know on a hard moment's page: whether anyone could receive it.</summary>
public sealed record ReachOffer(int Receivers);

/// <summary>
/// The pages where distress runs highest (help, a practice's end, a flagged check-in, a reaction, the
/// journal editor) offer "reach my people now" beside the crisis lines. They ask through this, and
/// the circle answers it, so the safety surfaces do not depend on the circle.
/// </summary>
public interface IReachOffers
{
    Task<ReachOffer> OfferAsync(string userId, CancellationToken ct = default);
}
