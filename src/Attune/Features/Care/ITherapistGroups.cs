namespace Attune.Features.Care;

/// <summary>A group a therapist runs, as their public profile lists it.</summary>
public sealed record TherapistGroupCard(Guid Id, string Title, string ForWhom, string? FirstMeeting, int PlacesLeft);

/// <summary>
/// The groups a therapist facilitates that are in the public directory. Care asks through this
/// interface and the Groups slice answers it, so Care never depends on Groups.
/// </summary>
public interface ITherapistGroups
{
    /// <summary>The listed groups facilitated by the therapist whose profile is <paramref name="profileId"/>, first meetings in <paramref name="viewerZone"/> (the group's own when null).</summary>
    Task<IReadOnlyList<TherapistGroupCard>> ListedByAsync(Guid profileId, string? viewerZone, CancellationToken ct);
}
