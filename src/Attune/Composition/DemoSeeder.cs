using Attune.Data;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Attune.Composition;

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
        ("dr.lee@demo.attune.local", "Dr. Lee", "A therapist, with Robin in their care, who runs a weekly group"),
        ("maya@demo.attune.local", "Maya", "In Robin's circle at set hours, and asking Dr. Lee to connect"),
        ("aoife@demo.attune.local", "Aoife", "In Dr. Lee's group with Robin and Maya"),
        ("jonah@demo.attune.local", "Jonah", "New to Attune, and in Dr. Lee's group"),
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
            var user = new AttuneUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTime.UtcNow, WelcomedAt = DateTime.UtcNow, TimeZone = "Europe/Dublin", Country = "IE" };
            db.PrepareNewPerson(user);
            await db.SetDisplayNameAsync(user, name, cancellationToken);
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded) throw new InvalidOperationException("Demo seeding failed: " + string.Join(", ", result.Errors.Select(e => e.Code)));
            if (email == People[0].Email)
            {
                await SeedJourneyAsync(scope.ServiceProvider, user.Id, cancellationToken);
                await SeedJournalAsync(scope.ServiceProvider, user.Id, cancellationToken);
                await SeedActivationsAsync(scope.ServiceProvider, user.Id, cancellationToken);
            }
        }
        await DemoRelationships.SeedAsync(scope.ServiceProvider, cancellationToken);
        await DemoGroup.SeedAsync(scope.ServiceProvider, cancellationToken);
        logger.LogInformation("Demo mode: {Count} demo people are ready; the sign-in page lists them.", People.Count);
    }

    /// <summary>A few journal entries of different kinds, so the journal, search and timeline have something to show.</summary>
    private static async Task SeedJournalAsync(IServiceProvider services, string userId, CancellationToken ct)
    {
        var journal = services.GetRequiredService<Features.Journal.Journal>();
        Features.Journal.JournalInput Entry(string kind, string title, string text, string[] tags) =>
            new(kind, title, text, [.. tags], false, null, null, null, null, null, null, null, null, null);
        var entries = new[]
        {
            Entry("free", "After the team meeting", "I went quiet when my idea was passed over. It felt bigger than it was. I noticed my shoulders up by my ears.", ["work"]),
            Entry("letter", "To seven-year-old me", "You didn't have to be so good all the time. I see how hard you tried.", ["letters"]) with
                { Letter = new("toYounger", 7) },
            Entry("dialogue", "Talking at bedtime", "", ["evening"]) with
                { Dialogue = new(8, [new("now", "What do you need tonight?"), new("younger", "For someone to stay until I fall asleep."), new("now", "I can stay.")]) },
            Entry("memory", "Moving house", "", ["family"]) with
                { Memory = new(9, "The old flat", "Mum, my brother", "We moved with two days' notice.", "Lost and unimportant", "Someone to tell me what was happening", "The grown-ups were overwhelmed. It wasn't about me.", false) },
            Entry("body", "Before the phone call", "", []) with
                { Body = new([new("front:chest", ["tight", "fluttering"], 7), new("front:stomach", ["queasy"], 5)]) },
        };
        foreach (var e in entries)
        {
            var (_, errors) = await journal.CreateAsync(userId, e, ct);
            if (errors is not null) throw new InvalidOperationException("Demo journal entry was refused.");
        }
    }

    /// <summary>Robin is part-way through: a safety plan, most of part 1 done, a few weeks of check-ins, one practice left open.</summary>
    private static async Task SeedJourneyAsync(IServiceProvider services, string userId, CancellationToken ct)
    {
        var plans = services.GetRequiredService<Features.Safety.SafetyPlans>();
        await plans.SaveAsync(userId, new Features.Safety.SafetyPlanDto(
            ["I stop replying to messages", "I can't sleep"], ["a walk by the canal", "loud music and singing along", "a hot shower"],
            ["the library", "texting Sam about nothing much"], ["Sam"], ["Dr. Lee"], ["keep the evenings screen-free"], ["my niece", "the garden in spring"]), ct);

        var sessions = services.GetRequiredService<Features.Journey.PracticeSessions>();
        foreach (var slug in new[] { "grounding-toolkit", "safe-place", "what-helps", "noticing-patterns" })
        {
            var (_, session, _, _) = await sessions.StartAsync(userId, slug, 4, ct);
            await sessions.UpdateAsync(userId, session!.Id, new Features.Journey.SessionUpdate(null, 3, 2, true, null), ct);
        }
        var (_, open, _, _) = await sessions.StartAsync(userId, "body-signals", 3, ct);
        await sessions.UpdateAsync(userId, open!.Id, new Features.Journey.SessionUpdate(new() { ["stress"] = "My jaw gets tight and I hold my breath." }, 3, null, null, null), ct);

        var instruments = services.GetRequiredService<Features.Assessments.Instruments>();
        var checkIns = services.GetRequiredService<Features.Assessments.CheckIns>();
        int[][] phq9 = [[2, 2, 1, 2, 1, 2, 1, 0, 0], [2, 1, 1, 2, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 0, 0, 0]];
        int[][] gad7 = [[2, 2, 2, 2, 1, 1, 2], [2, 1, 2, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 1]];
        // Three rounds two weeks apart (taken now, then dated back), so the charts show change over time.
        var db = services.GetRequiredService<Data.AttuneDb>();
        for (var i = 0; i < 3; i++)
        {
            var ids = new[]
            {
                (await checkIns.SaveAsync(userId, instruments.Find("phq9")!, phq9[i], ct)).Id,
                (await checkIns.SaveAsync(userId, instruments.Find("gad7")!, gad7[i], ct)).Id,
                (await checkIns.SaveAsync(userId, instruments.Find("signs")!, Enumerable.Range(0, 24).Select(n => (n + i) % 4).ToArray(), ct)).Id,
            };
            var at = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddDays(-14 * (2 - i));
            await db.Set<Features.Assessments.CheckIn>().Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(u => u.SetProperty(c => c.TakenAt, at), ct);
        }
    }

    /// <summary>Ten weeks of Robin's reactions, easing over time, so insights and the report have a story to tell.</summary>
    private static async Task SeedActivationsAsync(IServiceProvider services, string userId, CancellationToken ct)
    {
        var activations = services.GetRequiredService<Features.Activations.Activations>();
        var clock = services.GetRequiredService<TimeProvider>();
        (string Situation, string[] Patterns, string[] Emotions)[] moments =
        [
            ("Feedback on my report in the team meeting", ["critic", "reactions"], ["ashamed", "small"]),
            ("Sam didn't answer my message all evening", ["abandonment"], ["anxious", "lonely"]),
            ("Said yes to extra work I didn't have time for", ["pleasing", "boundaries"], ["resentful", "worn out"]),
            ("Couldn't ask for help with the move", ["needs"], ["stuck", "lonely"]),
            ("Froze when my manager raised her voice", ["reactions"], ["frozen", "scared"]),
        ];
        var random = new Random(7);
        var now = clock.GetUtcNow();
        for (var day = 70; day >= 1; day -= random.Next(1, 4))
        {
            var (situation, patterns, emotions) = moments[random.Next(moments.Length)];
            var intensity = Math.Clamp(8 - (70 - day) / 18 + random.Next(-1, 2), 0, 10);
            var at = now.AddDays(-day).Date.AddHours(random.Next(0, 3) switch { 0 => 9, 1 => 14, _ => 21 }).AddMinutes(random.Next(60));
            var input = new Features.Activations.ActivationInput(new DateTimeOffset(at, TimeSpan.Zero), situation, null, [.. emotions], intensity,
                random.Next(4) == 0 ? null : 7 + random.Next(0, 4), null, [.. patterns], "To be told I was okay", null, null);
            var (_, errors) = await activations.CreateAsync(userId, input, ct);
            if (errors is not null) throw new InvalidOperationException("A demo activation was refused.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
