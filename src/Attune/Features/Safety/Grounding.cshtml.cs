using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;

namespace Attune.Features.Safety;

/// <summary>Open to everyone, signed in or not: grounding must never be behind a sign-in.</summary>
[AllowAnonymous]
public sealed class GroundingModel(CrisisResources crisis, CurrentPerson me) : CrisisLinesPageModel(crisis, me, "/grounding#lines")
{
    public bool SignedIn => User.Identity?.IsAuthenticated == true;
}
