namespace Attune.Features.Sharing;

/// <summary>
/// One kind of item people can share, registered by the slice that owns it (Journal, Journey,
/// Assessments) in its own setup: <c>services.AddScoped&lt;IShareableItems, ...&gt;()</c>.
/// </summary>
public interface IShareableItems
{
    /// <summary>The item type in URLs and JSON: <c>journal</c>, <c>practice</c>, <c>checkin</c>.</summary>
    string Type { get; }

    /// <summary>What people read for this kind of item, e.g. "Journal entry".</summary>
    string Label { get; }

    /// <summary>
    /// The item as it reads now (the owner may have edited it since sharing); null when it's gone or
    /// isn't the owner's. A drawing or photo only when <paramref name="withImage"/>: lists don't need it.
    /// </summary>
    Task<SharedItemDto?> ReadAsync(string ownerId, Guid id, bool withImage, CancellationToken ct);
}
