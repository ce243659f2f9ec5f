namespace Attune.Features.Assessments;

/// <summary>
/// Who else sees my check-in results, by name, from my own consents: a safety answer's page tells me
/// before anything else happens. The care slice answers it (therapists I let see check-ins), so
/// check-ins do not depend on care.
/// </summary>
public interface ICheckInViewers
{
    Task<IReadOnlyList<string>> NamesAsync(string personId, CancellationToken ct = default);
}
