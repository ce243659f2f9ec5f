using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Circle;
using Attune.Infrastructure.Jobs;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Jobs;

/// <summary>
/// Jobs on two nodes sharing one PostgreSQL database: a job runs once, whether the nodes look for it
/// at the same moment or the node that claimed it dies partway. Node A "dies" by stopping its host
/// while its reach escalation handler is stuck partway (before the step, or after the step and before
/// the job is marked): the job row is then left exactly as a killed process leaves it, claimed until
/// its lease ends. Each node has its own clock, moved by the test. PostgreSQL only.
/// </summary>
public sealed class JobFailoverTests
{
    [PostgresFact]
    public async Task AnEscalationClaimedByANodeThatDies_RunsOnTheOtherNodeOnce_AfterTheLease()
    {
        var partway = new Partway(afterTheStep: false);
        await using var nodes = await TwoNodes.StartAsync(nodeA: partway.Register);
        var (a, b) = (nodes.A, nodes.B);
        var circle = await CircleOfThreeAsync(a);
        var reachId = await ReachFirstAsync(a, circle);
        var ownerOnB = await b.SignInAsync(circle.Owner.Email);
        await using var ownerStream = await LiveEvents.OpenAsync(b, ownerOnB);

        // A's worker claims the due job and is stuck in it when A dies.
        a.Clock.Advance(TimeSpan.FromMinutes(11));
        await partway.Started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var claimed = await JobAsync(b, reachId);
        Assert.NotNull(claimed.ClaimedUntil);
        await a.DisposeAsync(); // the host stops; its folder (the shared key and mail) stays for B

        // Due for B too, but A's lease holds: B leaves it alone.
        b.Clock.Advance(TimeSpan.FromMinutes(11));
        await b.Service<JobRunner>().RunDueAsync(ReachEscalationJob.Lane);
        Assert.Equal([("First", 1)], await RecipientsAsync(ownerOnB, reachId));

        // The lease over, B runs it, once.
        b.Clock.Advance(JobRunner.Lease + TimeSpan.FromSeconds(5));
        Assert.Equal(("reach.escalated", reachId), await ownerStream.NextAsync("reach.escalated"));
        await NothingMoreAsync(b);
        Assert.Equal([("First", 1), ("Second", 2)], await RecipientsAsync(ownerOnB, reachId));
        var job = await JobAsync(b, reachId);
        var second = await DeliveredAsync(b, reachId, wave: 2);
        Assert.Equal((0, null, null, second.AddMinutes(10)), (job.Attempts, job.DoneAt, job.ClaimedUntil, job.DueAt));
        Assert.Equal(1, Mails(b, circle.Second.Email));
        Assert.Equal(0, Mails(b, circle.Third.Email));
        Assert.False(ownerStream.Events.Reader.TryRead(out var more), $"Another event came: {more}");
    }

    [PostgresFact]
    public async Task AnEscalationWhoseNodeDiedAfterTheStep_IsNotTakenAgain_AndGoesOnAtItsTime()
    {
        var partway = new Partway(afterTheStep: true);
        await using var nodes = await TwoNodes.StartAsync(nodeA: partway.Register);
        var (a, b) = (nodes.A, nodes.B);
        var circle = await CircleOfThreeAsync(a);
        var reachId = await ReachFirstAsync(a, circle);
        var ownerOnB = await b.SignInAsync(circle.Owner.Email);

        // A asks Second (and Second's email goes), then dies before its job is marked.
        a.Clock.Advance(TimeSpan.FromMinutes(11));
        await partway.Started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await a.SettledAsync();
        await a.DisposeAsync();
        Assert.Equal([("First", 1), ("Second", 2)], await RecipientsAsync(ownerOnB, reachId));

        // After the lease B runs the job: Second has had only two minutes of the ten, so nobody new is asked.
        b.Clock.Advance(TimeSpan.FromMinutes(11) + JobRunner.Lease + TimeSpan.FromSeconds(5));
        var second = await DeliveredAsync(b, reachId, wave: 2);
        await UntilAsync(async () => await JobAsync(b, reachId) is { ClaimedUntil: null } j && j.DueAt == second.AddMinutes(10));
        await NothingMoreAsync(b);
        Assert.Equal([("First", 1), ("Second", 2)], await RecipientsAsync(ownerOnB, reachId));
        Assert.Equal((1, 0), (Mails(b, circle.Second.Email), Mails(b, circle.Third.Email)));

        // Once Second's ten minutes are over, Third is asked, once.
        b.Clock.Advance(TimeSpan.FromMinutes(8));
        await UntilAsync(async () => (await RecipientsAsync(ownerOnB, reachId)).Count == 3);
        await NothingMoreAsync(b);
        Assert.Equal([("First", 1), ("Second", 2), ("Third", 3)], await RecipientsAsync(ownerOnB, reachId));
        Assert.Equal((1, 1), (Mails(b, circle.Second.Email), Mails(b, circle.Third.Email)));
    }

    [PostgresFact]
    public async Task BothNodesLookingForTheSameDueJobs_RunEachOnce()
    {
        var runs = new Runs();
        await using var nodes = await TwoNodes.StartAsync(nodeA: runs.Register, nodeB: runs.Register);
        var (a, b) = (nodes.A, nodes.B);
        var subjects = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        var dueAt = a.Clock.GetUtcNow().UtcDateTime.AddMinutes(1);
        await a.WithDbAsync(db =>
        {
            foreach (var s in subjects) db.Add(new Job { Id = Guid.NewGuid(), Kind = Runs.Kind, Subject = s, DueAt = dueAt });
            return db.SaveChangesAsync();
        });

        // Both nodes' workers, and two more looks on each, all at once.
        a.Clock.Advance(TimeSpan.FromMinutes(2));
        b.Clock.Advance(TimeSpan.FromMinutes(2));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).Service<JobRunner>().RunDueAsync(Runs.Lane))));
        await UntilAsync(async () => await a.WithDbAsync(db => db.Set<Job>().CountAsync(j => j.Kind == Runs.Kind && j.ClaimedUntil == null && j.DueAt > dueAt)) == subjects.Count);
        await Task.Delay(1500); // both workers look again

        Assert.All(subjects, s => Assert.Equal(1, runs.Count(s)));
        Assert.True(runs.Nodes.Count == 2, "Only one node ran jobs; the test did not make them meet");
    }

    [PostgresFact]
    public async Task ANodeThatRanPastItsLease_LeavesTheJobToTheNodeThatHoldsItNow()
    {
        var held = new Held();
        var runs = new Runs();
        await using var nodes = await TwoNodes.StartAsync(nodeA: held.Register, nodeB: runs.Register);
        var (a, b) = (nodes.A, nodes.B);
        var subject = Guid.NewGuid();
        await a.WithDbAsync(db =>
        {
            db.Add(new Job { Id = Guid.NewGuid(), Kind = Runs.Kind, Subject = subject, DueAt = a.Clock.GetUtcNow().UtcDateTime.AddMinutes(1) });
            return db.SaveChangesAsync();
        });

        // Due on A's clock only: A's worker takes the job and is slow; its lease ends and B runs the
        // job and moves it on an hour.
        a.Clock.Advance(TimeSpan.FromMinutes(2));
        await held.Started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        b.Clock.Advance(TimeSpan.FromMinutes(2) + JobRunner.Lease + TimeSpan.FromSeconds(5));
        await UntilAsync(async () => await a.WithDbAsync(db => db.Set<Job>().AsNoTracking().SingleAsync(j => j.Subject == subject)) is { ClaimedUntil: null } j && j.DueAt > b.Clock.GetUtcNow().UtcDateTime);
        var movedOnByB = await a.WithDbAsync(db => db.Set<Job>().AsNoTracking().SingleAsync(j => j.Subject == subject));

        // A finishes late and would mark it done: the row stays as B left it.
        held.Release.SetResult();
        await UntilAsync(() => Task.FromResult(a.Logs.Lines.Any(l => l.Contains("ran past its lease", StringComparison.Ordinal))));
        var job = await a.WithDbAsync(db => db.Set<Job>().AsNoTracking().SingleAsync(j => j.Subject == subject));
        Assert.Equal((movedOnByB.DueAt, null, null, 0), (job.DueAt, job.DoneAt, job.ClaimedUntil, job.Attempts));
        Assert.Equal(1, runs.Count(subject));
    }

    // ---- the nodes' parts ----

    /// <summary>Node A's reach escalation handler, stuck partway (before or after the real step) until A stops.</summary>
    private sealed class Partway(bool afterTheStep)
    {
        public TaskCompletionSource<Guid> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Register(IServiceCollection services)
        {
            services.Remove(services.Single(d => d.ServiceType == typeof(JobKind) && d.ImplementationInstance is JobKind { Kind: Reaches.EscalateJob }));
            services.AddSingleton(new JobKind(Reaches.EscalateJob, ReachEscalationJob.Lane, typeof(Handler)));
            services.AddSingleton(this);
            services.AddScoped<Handler>();
        }

        public sealed class Handler(Reaches reaches, Partway partway) : IJobHandler
        {
            public async Task<DateTime?> RunAsync(Guid subject, CancellationToken ct)
            {
                if (partway.AfterTheStep) await reaches.EscalateAsync(subject, ct);
                partway.Started.TrySetResult(subject);
                await Task.Delay(Timeout.Infinite, ct); // the node dies here; nothing after this runs on A
                return null;
            }
        }

        private bool AfterTheStep => afterTheStep;
    }

    /// <summary>A job kind that counts its runs per subject and node, and comes back an hour later.</summary>
    private sealed class Runs
    {
        public const string Kind = "test.counted", Lane = "test";
        private readonly ConcurrentDictionary<Guid, int> _runs = new();
        public ConcurrentDictionary<object, bool> Nodes { get; } = new();

        public int Count(Guid subject) => _runs.GetValueOrDefault(subject);

        public void Register(IServiceCollection services)
        {
            services.AddSingleton(this);
            services.AddJobHandler<Handler>(Kind, Lane);
        }

        public sealed class Handler(Runs runs, TimeProvider clock) : IJobHandler
        {
            public async Task<DateTime?> RunAsync(Guid subject, CancellationToken ct)
            {
                runs._runs.AddOrUpdate(subject, 1, (_, n) => n + 1);
                runs.Nodes[clock] = true;
                await Task.Delay(10, ct); // a little work, so the nodes' looks overlap
                return clock.GetUtcNow().UtcDateTime.AddHours(1);
            }
        }
    }

    /// <summary>Node A's handler for the counted kind: slow, until the test lets it finish (then the job is done, as far as A knows).</summary>
    private sealed class Held
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Register(IServiceCollection services)
        {
            services.AddSingleton(this);
            services.AddJobHandler<Handler>(Runs.Kind, Runs.Lane);
        }

        public sealed class Handler(Held held) : IJobHandler
        {
            public async Task<DateTime?> RunAsync(Guid subject, CancellationToken ct)
            {
                held.Started.TrySetResult();
                await held.Release.Task.WaitAsync(ct);
                return null;
            }
        }
    }

    // ---- helpers ----

    private sealed record CircleOfThree(Person Owner, Person Second, Person Third, string FirstMember);

    private static async Task<CircleOfThree> CircleOfThreeAsync(AttuneApp app)
    {
        var owner = await app.RegisterAsync();
        var first = await app.RegisterAsync();
        var second = await app.RegisterAsync();
        var third = await app.RegisterAsync();
        var firstMember = await Circles.JoinAsync(app, owner, first, "First");
        await Circles.JoinAsync(app, owner, second, "Second");
        await Circles.JoinAsync(app, owner, third, "Third");
        return new(owner, second, third, firstMember);
    }

    /// <summary>A reach to First alone, moving on after 10 minutes; its email to First has gone.</summary>
    private static async Task<string> ReachFirstAsync(AttuneApp app, CircleOfThree circle)
    {
        var created = await circle.Owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "today", to = new[] { circle.FirstMember }, escalateAfterMinutes = 10 });
        var id = JsonDocument.Parse(await Expect.StatusAsync(created, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        await app.SettledAsync();
        return id;
    }

    private static async Task<List<(string?, int)>> RecipientsAsync(Person owner, string reachId) =>
        (await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{reachId}")).GetProperty("recipients").EnumerateArray()
            .Select(r => (r.GetProperty("name").GetString(), r.GetProperty("wave").GetInt32())).ToList();

    private static Task<Job> JobAsync(AttuneApp app, string reachId) =>
        app.WithDbAsync(db => db.Set<Job>().AsNoTracking().SingleAsync(j => j.Kind == Reaches.EscalateJob && j.Subject == Guid.Parse(reachId)));

    private static Task<DateTime> DeliveredAsync(AttuneApp app, string reachId, int wave) =>
        app.WithDbAsync(db => db.Set<ReachRecipient>().AsNoTracking().Where(r => r.ReachId == Guid.Parse(reachId) && r.Wave == wave).Select(r => r.DeliveredAt).SingleAsync());

    private static int Mails(AttuneApp app, string to) => Mail.All(app.MailDirectory).Count(m => m.To == to && m.Subject.Contains("reached out", StringComparison.Ordinal));

    /// <summary>Looks for due reach jobs again (as the worker does each second), then lets what was queued go.</summary>
    private static async Task NothingMoreAsync(AttuneApp app)
    {
        await app.Service<JobRunner>().RunDueAsync(ReachEscalationJob.Lane);
        await Task.Delay(1500);
        await app.Service<JobRunner>().RunDueAsync(ReachEscalationJob.Lane);
        await app.SettledAsync();
    }

    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException("Waited 20 s for the jobs to settle.");
            await Task.Delay(100);
        }
    }
}
