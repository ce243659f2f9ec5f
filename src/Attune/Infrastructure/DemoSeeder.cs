using Attune.Data;
using Attune.Features.Account;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Attune.Infrastructure;

/// <summary>
/// <c>--demo</c> (or <c>Attune:Demo=true</c>): demo people so a newcomer can see every part.
/// Each feature adds what its demo person needs here. Never on by default.
/// </summary>
public sealed class DemoSeeder(IServiceProvider services, IOptions<AttuneOptions> options, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string Password = "attune-demo-garden-path";

    public static readonly IReadOnlyList<(string Email, string Name, string Role)> People =
    [
        ("robin@demo.attune.local", "Robin", "A person part-way through their journey"),
        ("sam@demo.attune.local", "Sam", "Robin's supporter"),
        ("dr.lee@demo.attune.local", "Dr. Lee", "A therapist"),
        ("maya@demo.attune.local", "Maya", "A group facilitator"),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Demo) return;
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AttuneUser>>();
        var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
        foreach (var (email, name, _) in People)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new AttuneUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTime.UtcNow, TimeZone = "Europe/Dublin", Country = "IE" };
            db.PrepareNewPerson(user);
            await db.SetDisplayNameAsync(user, name, cancellationToken);
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded) throw new InvalidOperationException("Demo seeding failed: " + string.Join(", ", result.Errors.Select(e => e.Code)));
        }
        logger.LogInformation("Demo mode: {Count} demo people are ready; the sign-in page lists them.", People.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
