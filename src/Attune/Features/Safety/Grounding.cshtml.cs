using Attune.Data;
using Microsoft.AspNetCore.Authorization;

namespace Attune.Features.Safety;

/// <summary>Open to everyone, signed in or not: grounding must never be behind a sign-in.</summary>
[AllowAnonymous]
public sealed class GroundingModel(CrisisResources crisis, AttuneDb db) : CrisisLinesPageModel(crisis, db, "/grounding#lines")
{
    public bool SignedIn => User.Identity?.IsAuthenticated == true;
}
