using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Design;

/// <summary>
/// The component page (<c>/design</c>) exists only in Development: elsewhere its route is removed, so
/// it answers 404 like any path that was never mapped, and no deployment shows it.
/// </summary>
public static class DesignPages
{
    public static IServiceCollection AddDesign(this IServiceCollection services, IHostEnvironment environment)
    {
        var development = environment.IsDevelopment();
        return services.PostConfigure<RazorPagesOptions>(o => o.Conventions.AddFolderRouteModelConvention("/Design", model =>
        {
            if (!development) model.Selectors.Clear();
        }));
    }
}
