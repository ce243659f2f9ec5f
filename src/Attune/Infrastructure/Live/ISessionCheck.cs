using System.Security.Claims;

namespace Attune.Infrastructure.Live;

/// <summary>
/// What a live stream asks about the session it belongs to. Account answers it (its session table
/// is the truth), so a stream ends when its session does, even when the word of it was lost.
/// </summary>
public interface ISessionCheck
{
    /// <summary>The session a signed-in principal belongs to, if it carries one.</summary>
    Guid? SessionOf(ClaimsPrincipal user);

    /// <summary>Whether the session may still be used by <paramref name="userId"/>.</summary>
    Task<bool> IsActiveAsync(Guid sessionId, string userId, CancellationToken ct = default);
}
