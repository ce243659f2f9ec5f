using Attune.Infrastructure.Web;

namespace Attune.Features.Circle;

/// <summary>The circle's pages: a signed-in person's pages.</summary>
public abstract class CirclePageModel : SignedInPageModel;
