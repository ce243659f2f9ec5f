using Attune.Infrastructure;

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
        // Today is kept briefly per person (Infrastructure/PersonSnapshots): a save of any row it reads
        // that names people forgets their copy. Rows that name no one (appointments, assignments,
        // reflections, rooms) reach the people concerned as live events, which forget it too.
        PersonSnapshots.Watch<Data.AttuneUser>(nameof(Data.AttuneUser.Id));
        PersonSnapshots.Watch<Journey.PracticeSession>(nameof(Journey.PracticeSession.OwnerId));
        PersonSnapshots.Watch<Journey.PhaseOverride>(nameof(Journey.PhaseOverride.OwnerId));
        PersonSnapshots.Watch<Safety.SafetyPlan>(nameof(Safety.SafetyPlan.OwnerId));
        PersonSnapshots.Watch<Assessments.CheckIn>(nameof(Assessments.CheckIn.OwnerId));
        PersonSnapshots.Watch<Circle.CircleMember>(nameof(Circle.CircleMember.OwnerId), nameof(Circle.CircleMember.SupporterId));
        PersonSnapshots.Watch<Circle.Reach>(nameof(Circle.Reach.OwnerId));
        PersonSnapshots.Watch<Circle.ReachRecipient>(nameof(Circle.ReachRecipient.SupporterId));
        PersonSnapshots.Watch<Sharing.Share>(nameof(Sharing.Share.OwnerId));
        PersonSnapshots.Watch<Care.CareRelationship>(nameof(Care.CareRelationship.PersonId), nameof(Care.CareRelationship.TherapistId));
        PersonSnapshots.Watch<Care.TherapistProfile>(nameof(Care.TherapistProfile.UserId));
        PersonSnapshots.Watch<Groups.GroupMember>(nameof(Groups.GroupMember.UserId));
        return services;
    }
}
