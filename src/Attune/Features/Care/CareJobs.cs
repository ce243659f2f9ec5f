using Attune.Infrastructure.Jobs;

namespace Attune.Features.Care;

/// <summary>Care's reminders run in a lane of their own, so they never hold up a reach or an email.</summary>
internal static class CareJobs
{
    public const string Lane = "care";

    public static IServiceCollection AddCareJobs(this IServiceCollection services) => services
        .AddJobHandler<AppointmentReminderJob>(Appointments.ReminderJob, Lane)
        .AddJobHandler<AssignmentReminderJob>(CareAssignments.ReminderKind, Lane);
}

/// <summary>A day before an accepted session, a reminder to both sides (<see cref="Appointments.RemindAsync"/>).</summary>
internal sealed class AppointmentReminderJob(Appointments appointments) : IJobHandler
{
    public Task<DateTime?> RunAsync(Guid subject, CancellationToken ct) => appointments.RemindAsync(subject, ct);
}

/// <summary>An assignment coming due, and the next one of a recurring check-in (<see cref="CareAssignments.RemindAsync"/>).</summary>
internal sealed class AssignmentReminderJob(CareAssignments assignments) : IJobHandler
{
    public Task<DateTime?> RunAsync(Guid subject, CancellationToken ct) => assignments.RemindAsync(subject, ct);
}
