using Attune.Data;
using Microsoft.AspNetCore.Authorization;

namespace Attune.Features.Safety;

/// <summary>Open to everyone, signed in or not.</summary>
[AllowAnonymous]
public sealed class HelpModel(CrisisResources crisis, AttuneDb db) : CrisisLinesPageModel(crisis, db, "/help");
