using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;

namespace Attune.Features.Safety;

/// <summary>Open to everyone, signed in or not: grounding must never be behind a sign-in.</summary>
[AllowAnonymous]
public sealed class GroundingModel(CrisisResources crisis, CurrentPerson me) : CrisisLinesPageModel(crisis, me, "/grounding#lines")
{
    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    /// <summary>
    /// The group meeting the person came from (<c>?room=group/meeting</c>, both ids), so the page can say
    /// their place is kept and offer the way back. Only the shape is checked here: the room page itself
    /// answers 404 to anyone who is not in it, so the link gives nothing away.
    /// </summary>
    public string? RoomUrl => SignedIn && Request.Query["room"].ToString().Split('/') is [var g, var m]
        && Guid.TryParse(g, out var group) && Guid.TryParse(m, out var meeting)
        ? $"/groups/{group}/meetings/{meeting}"
        : null;
}
