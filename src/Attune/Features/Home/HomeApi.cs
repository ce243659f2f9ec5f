namespace Attune.Features.Home;

/// <summary>
/// The home page: Today, the person's people and their first welcome. It gathers from the other
/// features and nothing depends on it, so it is the one place a new feature adds itself to Today.
/// </summary>
public static class HomeApi
{
    public static IServiceCollection AddHome(this IServiceCollection services)
    {
        services.AddScoped<Today>();
        services.AddScoped<TodayPeople>();
        return services;
    }
}
