using Attune.Data;
using Attune.Infrastructure.Bench;
using Attune.Infrastructure.Email;

namespace Attune.Composition;

/// <summary>The pieces of Program.cs that tie the features together: the pages, demo seeding, warm-up, and what runs before serving.</summary>
public static class AttuneHost
{
    /// <summary>Razor Pages with the features as their root; a feature adds the routes its folder can't say by itself in its own AddX.</summary>
    public static IServiceCollection AddPages(this IServiceCollection services, bool bench)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.Add(new BenchSupport.PageConvention(bench));
        });
        return services;
    }

    /// <summary>Demo people (<c>Attune:Demo</c>) and the background warm-up, both after the features they use.</summary>
    public static IServiceCollection AddSeedingAndWarmUp(this IServiceCollection services)
    {
        services.AddHostedService<DemoSeeder>();
        services.AddHostedService<WarmUp>();
        return services;
    }

    /// <summary>Brings the database up to date before the first request, and says where mail goes when no SMTP host is set.</summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        await DatabaseSetup.MigrateAsync(app.Services);
        if (app.Services.GetRequiredService<SmtpMailSender>().PickupDirectory is { } pickup)
            app.Logger.LogInformation("Email: no SMTP host is set, so messages are written as .eml files to {PickupDirectory}", pickup);
    }
}
