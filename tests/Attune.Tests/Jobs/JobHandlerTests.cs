using Attune.Features.Care;
using Attune.Features.Circle;
using Attune.Features.Groups;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Observability;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attune.Tests.Jobs;

/// <summary>The job runner knows its kinds only from the features' own registrations (IJobHandler), each in its lane.</summary>
public sealed class JobHandlerTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public void EachFeaturesKinds_RunInTheirOwnLanes()
    {
        var lanes = app.Service<JobRunner>().Lanes;
        Assert.Equal(["care", "groups", "mail", "reach"], lanes.Keys.Order());
        Assert.Equal([Reaches.EscalateJob], lanes["reach"]);
        Assert.Equal([Mailer.SendJob], lanes["mail"]);
        Assert.Equal([Appointments.ReminderJob, CareAssignments.ReminderKind], lanes["care"].Order());
        Assert.Equal([GroupJobs.Closed, GroupJobs.NoShow, GroupJobs.Retention], lanes["groups"].Order());
    }

    [Fact]
    public void TwoHandlersForOneKind_AreRefused()
    {
        var twice = new[] { new JobKind("reach.escalate", "reach", typeof(object)), new JobKind("reach.escalate", "care", typeof(object)) };
        var e = Assert.Throws<InvalidOperationException>(() => new JobRunner(app.Service<IServiceScopeFactory>(), app.Clock, app.Service<AttuneMeters>(), twice, NullLogger<JobRunner>.Instance));
        Assert.Contains("reach.escalate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKindLongerThanItsColumn_IsRefusedAtRegistration() =>
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddJobHandler<ReachEscalationJobStandIn>(new string('k', JobRunner.MaxKindLength + 1), "reach"));

    [Fact]
    public async Task AJobOfAKindNobodyRegistered_IsLeftAlone()
    {
        var id = Guid.NewGuid();
        await app.WithDbAsync(async db =>
        {
            db.Add(new Job { Id = id, Kind = "nobody.registered", Subject = Guid.NewGuid(), DueAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1) });
            return await db.SaveChangesAsync();
        });
        await app.Service<JobRunner>().RunDueAsync();
        var job = await app.WithDbAsync(db => db.Set<Job>().AsNoTracking().FirstAsync(j => j.Id == id));
        Assert.Null(job.DoneAt);
        Assert.Equal(0, job.Attempts);
    }

    private sealed class ReachEscalationJobStandIn : IJobHandler
    {
        public Task<DateTime?> RunAsync(Guid subject, CancellationToken ct) => Task.FromResult<DateTime?>(null);
    }
}
