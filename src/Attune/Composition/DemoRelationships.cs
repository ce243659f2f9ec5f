using Attune.Data;
using Attune.Features.Care;
using Attune.Features.Circle;
using Attune.Infrastructure;
using Attune.Features.Sharing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Attune.Composition;

/// <summary>
/// The demo people's relationships, made through the same services a person would use, so every
/// part has something to show: Robin's circle (Sam any time, Maya in her hours), a reach Sam
/// answered with a conversation, a shared letter Sam reflected on, Robin in Dr. Lee's care
/// (with a published profile, consents, an assignment, a time to meet, messages), and Maya asking
/// Dr. Lee to connect. Each part is skipped when it is already there.
/// </summary>
internal static class DemoRelationships
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<AttuneDb>();
        var users = services.GetRequiredService<UserManager<AttuneUser>>();
        var robin = await users.FindByEmailAsync(DemoSeeder.People[0].Email);
        var sam = await users.FindByEmailAsync(DemoSeeder.People[1].Email);
        var lee = await users.FindByEmailAsync(DemoSeeder.People[2].Email);
        var maya = await users.FindByEmailAsync(DemoSeeder.People[3].Email);
        if (robin is null || sam is null || lee is null || maya is null) return;

        var samMember = await MemberAsync(db, robin.Id, sam.Id, "Sam", order: 1, hours: null, ct);
        await MemberAsync(db, robin.Id, maya.Id, "Maya", order: 2, hours: (9 * 60, 17 * 60), ct);
        await SeedReachAndShareAsync(services, db, robin.Id, sam.Id, samMember, ct);
        await SeedCareAsync(services, db, robin.Id, lee.Id, maya.Id, ct);
    }

    private static async Task<CircleMember> MemberAsync(AttuneDb db, string ownerId, string supporterId, string name, int order, (int From, int To)? hours, CancellationToken ct)
    {
        if (await db.Set<CircleMember>().FirstOrDefaultAsync(m => m.OwnerId == ownerId && m.SupporterId == supporterId, ct) is { } existing) return existing;
        var member = new CircleMember
        {
            Id = SequentialGuid.Next(),
            OwnerId = ownerId,
            SupporterId = supporterId,
            CanReceiveReaches = true,
            CanSeeShared = true,
            Order = order,
            AvailableFrom = hours?.From,
            AvailableTo = hours?.To,
            CreatedAt = DateTime.UtcNow,
        };
        member.Name = await db.SealAsync(ownerId, CircleMember.Table, member.Id.ToString(), "name", name, ct);
        db.Add(member);
        await db.SaveChangesAsync(ct);
        return member;
    }

    /// <summary>A reach Robin sent that Sam answered "I'm here" (with a short conversation), and a letter Robin shared that Sam reflected on.</summary>
    private static async Task SeedReachAndShareAsync(IServiceProvider services, AttuneDb db, string robinId, string samId, CircleMember samMember, CancellationToken ct)
    {
        if (await db.Set<Reach>().AnyAsync(r => r.OwnerId == robinId, ct)) return;
        var reaches = services.GetRequiredService<Reaches>();
        var (reach, _) = await reaches.CreateAsync(robinId, new ReachInput("Rough evening. The old stuff is loud tonight.", "today", [samMember.Id], null), ct);
        if (reach is null) return;
        await reaches.RespondAsync(samId, reach.Id, new ResponseInput("here", null, "I'm here. Want to tell me about it, or just have company?"), ct);
        var answered = await reaches.GetAsync(robinId, reach.Id, markSeen: false, ct);
        var threadId = answered is { Recipients.Count: > 0 } ? answered.Recipients[0].ThreadId : null;
        if (threadId is { } thread)
            await services.GetRequiredService<Threads>().PostAsync(robinId, thread, new Infrastructure.Conversations.MessageInput("Just company, I think. Thank you for coming."), ct);

        var letter = await db.Set<Features.Journal.JournalEntry>().AsNoTracking().Where(e => e.OwnerId == robinId && e.Kind == "letter").Select(e => e.Id).FirstOrDefaultAsync(ct);
        if (letter == Guid.Empty) return;
        var shares = services.GetRequiredService<Shares>();
        var (share, _, _) = await shares.CreateAsync(robinId, new ShareInput("journal", letter, samId), ct);
        if (share is not null)
            await shares.WitnessAsync(samId, share.Id, new WitnessInput("I hear how hard seven-year-old you worked to be good, and how tired that must have made them."), ct);
    }

    /// <summary>Dr. Lee's published profile; Robin in care with an assignment, a time to meet and messages; Maya's request waiting.</summary>
    private static async Task SeedCareAsync(IServiceProvider services, AttuneDb db, string robinId, string leeId, string mayaId, CancellationToken ct)
    {
        if (await db.Set<CareRelationship>().AnyAsync(c => c.TherapistId == leeId, ct)) return;
        var directory = services.GetRequiredService<TherapistDirectory>();
        var (profile, _, errors) = await directory.SaveAsync(leeId, new ProfileInput(
            "Dr. Lee", "Clinical psychologist", "PSI-DEMO-0001", "Ireland", ["ifs", "attachment", "somatic"], ["online", "inPerson"], "Dublin", null, "IE",
            ["English", "Irish"], 80, 120, "EUR", true, true,
            "I work gently and at your pace with the younger parts of us that still carry old hurts. Sessions are a steady place to notice, grieve and practise something new.",
            true), ct);
        if (profile is null) throw new InvalidOperationException("The demo therapist profile was refused: " + string.Join(", ", errors?.Items.Select(e => e.Field) ?? []));

        var care = services.GetRequiredService<CareService>();
        var (robinCare, _) = await care.RequestAsync(robinId, profile.Profile.Id, new ConnectInput("I've been working through part one on my own and would like someone alongside me.", false), ct);
        if (robinCare is null) return;
        await care.AnswerAsync(leeId, robinCare.Id, accept: true, ct);
        await care.SetConsentsAsync(robinId, robinCare.Id, new ConsentsPatch(true, true, true), ct);

        var clock = services.GetRequiredService<TimeProvider>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await services.GetRequiredService<CareAssignments>().CreateAsync(leeId, robinId,
            new AssignmentInput(null, "gad7", today.AddDays(4).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "Just to see how the week has been. No need to prepare."), ct);
        var dublin = Appointments.Zone("Europe/Dublin");
        var start = TimeZoneInfo.ConvertTimeToUtc(today.AddDays(6).ToDateTime(new TimeOnly(10, 0)), dublin);
        var appointments = services.GetRequiredService<Appointments>();
        var (options, _, _) = await appointments.ProposeAsync(leeId, robinId, new ProposalInput([new DateTimeOffset(start, TimeSpan.Zero).ToString("o")], 50, "Online: the link comes by message"), ct);
        if (options is { Count: > 0 }) await appointments.AcceptAsync(robinId, options[0].Id, ct);
        var messages = services.GetRequiredService<CareMessages>();
        await messages.PostAsync(leeId, robinCare.Id, new Infrastructure.Conversations.MessageInput("Good to meet you, Robin. I've suggested a first time; choose it if it suits you."), ct);
        await messages.PostAsync(robinId, robinCare.Id, new Infrastructure.Conversations.MessageInput("Thank you. Thursday works well."), ct);

        await care.RequestAsync(mayaId, profile.Profile.Id, new ConnectInput("A friend told me about Attune. I'd like to talk about whether we'd be a good fit.", false), ct);
    }
}
