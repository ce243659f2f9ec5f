using System.Globalization;
using Attune.Data;
using Attune.Features.Account;
using Attune.Features.Care;
using Attune.Features.Circle;
using Attune.Features.Groups;
using Attune.Features.Groups.Board;
using Attune.Features.Sharing;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Home;

/// <summary>Someone in my circle, either way round. <c>ReachableNow</c>: a "talk now" reach would go to them at this moment.</summary>
public sealed record CirclePerson(Guid MemberId, string UserId, string Name, bool ReachableNow);

/// <summary>A reach to me that I haven't answered yet.</summary>
public sealed record OpenReach(Guid Id, string From, string Urgency, DateTimeOffset At);

/// <summary>Reflections on something I shared, written since I last opened it.</summary>
public sealed record NewReflections(Guid ShareId, string From, string ItemType, int Count, DateTimeOffset At);

public sealed record NextMeeting(string With, bool AsTherapist, string LocalStart, string TimeZone);

public sealed record MyTherapist(Guid CareId, string Name);

/// <summary>
/// The people part of Today: my circle and who of them could be reached now, the people I
/// support and any reach of theirs still waiting for me, new witness reflections, my therapist,
/// the next agreed time to meet, and (for a therapist) how many people are in their care.
/// </summary>
public sealed record TodayPeopleView(
    IReadOnlyList<CirclePerson> Supporters, IReadOnlyList<CirclePerson> Supporting, IReadOnlyList<OpenReach> OpenReaches,
    IReadOnlyList<NewReflections> Reflections, IReadOnlyList<MyTherapist> Therapists, NextMeeting? Next,
    bool IsTherapist, int CaseloadPeople, int CaseloadWaiting)
{
    /// <summary>My active care relationships as read for this view, with each therapist's name (null without a profile): Today's care assignments start from them.</summary>
    public IReadOnlyList<(CareRelationship Care, string? TherapistName)> MyCare { get; init; } = [];

    /// <summary>Someone here mainly to support others: their people come before their own journey.</summary>
    public bool SupporterFirst => Supporting.Count > 0 && Supporters.Count == 0;

    public int ReachableNow => Supporters.Count(s => s.ReachableNow);
}

/// <summary>
/// Gathers <see cref="TodayPeopleView"/> in one query per kind of relationship (circle, reaches,
/// reflections, care, the next meeting) plus one for the data keys of the names to open, however
/// many people there are.
/// </summary>
public sealed class TodayPeople(AttuneDb db, TherapistFlag therapists, TimeProvider clock)
{
    public static readonly TimeSpan OpenFor = TimeSpan.FromHours(24);

    public async Task<TodayPeopleView> ForAsync(string userId, string zoneId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;

        var circle = await (from m in db.Set<CircleMember>().AsNoTracking().Where(CircleMember.Involving(userId))
                            join u in db.Users.AsNoTracking() on (m.OwnerId == userId ? m.SupporterId : m.OwnerId) equals u.Id
                            orderby m.Order
                            select new { Member = m, u.TimeZone, u.DisplayNameSealed }).ToListAsync(ct);

        var care = await (from c in db.Set<CareRelationship>().AsNoTracking()
                          where (c.PersonId == userId && c.Status == CareStatus.Active) || (c.TherapistId == userId && c.Status != CareStatus.Declined)
                          join p in db.Set<TherapistProfile>().AsNoTracking() on c.TherapistId equals p.UserId into profiles
                          from p in profiles.DefaultIfEmpty()
                          select new { Row = c, c.Id, c.PersonId, c.TherapistId, c.Status, Name = p == null ? null : p.Name }).ToListAsync(ct);

        var meeting = await (from a in db.Set<CareAppointment>().AsNoTracking()
                             join c in db.Set<CareRelationship>().AsNoTracking().Where(CareRelationship.Involving(userId)) on a.CareId equals c.Id
                             where c.Status == CareStatus.Active && a.Status == "accepted" && a.StartsAt > now
                             orderby a.StartsAt
                             select new { a.StartsAt, c.PersonId, c.TherapistId }).FirstOrDefaultAsync(ct);

        var reaches = await (from r in db.Set<ReachRecipient>().AsNoTracking()
                             join x in db.Set<Reach>().AsNoTracking() on r.ReachId equals x.Id
                             where r.SupporterId == userId && r.RespondedAt == null && x.ExhaustedAt == null && x.CreatedAt > now - OpenFor
                             orderby x.CreatedAt descending
                             select new { x.Id, x.OwnerId, x.Urgency, x.CreatedAt }).Take(10).ToListAsync(ct);

        var reflections = await (from w in db.Set<WitnessReflection>().AsNoTracking()
                                 join s in db.Set<Share>().AsNoTracking() on w.ShareId equals s.Id
                                 where s.OwnerId == userId && w.AuthorId != userId && (s.OwnerSeenAt == null || w.CreatedAt > s.OwnerSeenAt)
                                 group w by new { s.Id, s.WithUserId, s.ItemType } into g
                                 select new { g.Key.Id, g.Key.WithUserId, g.Key.ItemType, Count = g.Count(), Last = g.Max(w => w.CreatedAt) }).ToListAsync(ct);

        // Names: mine for my supporters (under my key); each other person's own name (under theirs).
        var ownNames = circle.Where(x => x.Member.SupporterId == userId).Select(x => x.Member.OwnerId).ToList();
        if (meeting is not null && meeting.TherapistId == userId) ownNames.Add(meeting.PersonId);
        await db.Vault.WarmAsync(db, ownNames.Append(userId), ct);

        var supporters = new List<CirclePerson>();
        var supporting = new List<CirclePerson>();
        foreach (var x in circle)
        {
            var m = x.Member;
            if (m.OwnerId == userId)
            {
                var name = await db.OpenAsync(userId, CircleMember.Table, m.Id.ToString(), "name", m.Name, ct);
                supporters.Add(new CirclePerson(m.Id, m.SupporterId, name, m.CanReceiveReaches && Reaches.Available(m, "now", x.TimeZone, now)));
            }
            else
            {
                var name = x.DisplayNameSealed is null ? "Someone you support"
                    : await db.OpenAsync(m.OwnerId, AttuneUser.Table, m.OwnerId, "displayName", x.DisplayNameSealed, ct);
                supporting.Add(new CirclePerson(m.Id, m.OwnerId, name, false));
            }
        }

        var mine = care.Where(c => c.PersonId == userId).ToList();
        var therapistsOfMine = mine.Select(c => new MyTherapist(c.Id, c.Name ?? "Your therapist")).ToList();
        // A share with a group is named by the group: its reflections come from several people.
        var groupIds = reflections.Select(r => GroupShareChannel.GroupOf(r.WithUserId)).OfType<Guid>().Distinct().ToList();
        var groups = groupIds.Count == 0 ? []
            : await db.Set<Group>().AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Title, ct);
        string NameOf(string otherId) =>
            GroupShareChannel.GroupOf(otherId) is { } groupId ? (groups.TryGetValue(groupId, out var title) ? $"Your group, {title}" : "Your group")
            : supporters.FirstOrDefault(s => s.UserId == otherId)?.Name ?? mine.FirstOrDefault(c => c.TherapistId == otherId)?.Name ?? "Someone";

        NextMeeting? next = null;
        if (meeting is not null)
        {
            var asTherapist = meeting.TherapistId == userId;
            var with = asTherapist
                ? await PersonNameAsync(meeting.PersonId, ct)
                : care.FirstOrDefault(c => c.TherapistId == meeting.TherapistId && c.PersonId == userId)?.Name ?? "your therapist";
            var local = TimeZoneInfo.ConvertTimeFromUtc(meeting.StartsAt, Appointments.Zone(zoneId));
            next = new NextMeeting(with, asTherapist, local.ToString("dddd d MMMM, HH:mm", CultureInfo.InvariantCulture), Places.ZoneName(zoneId));
        }

        return new TodayPeopleView(
            supporters, supporting,
            reaches.Select(r => new OpenReach(r.Id, supporting.FirstOrDefault(s => s.UserId == r.OwnerId)?.Name ?? "Someone in your circle", r.Urgency, new DateTimeOffset(r.CreatedAt))).ToList(),
            reflections.OrderByDescending(r => r.Last).Select(r => new NewReflections(r.Id, NameOf(r.WithUserId), r.ItemType, r.Count, new DateTimeOffset(r.Last))).ToList(),
            therapistsOfMine, next,
            await therapists.IsTherapistAsync(userId, ct),
            care.Count(c => c.TherapistId == userId && c.Status == CareStatus.Active),
            care.Count(c => c.TherapistId == userId && c.Status == CareStatus.Requested))
        {
            MyCare = mine.Select(c => (c.Row, (string?)c.Name)).ToList(),
        };
    }

    private async Task<string> PersonNameAsync(string personId, CancellationToken ct)
    {
        var sealedName = await db.Users.AsNoTracking().Where(u => u.Id == personId).Select(u => u.DisplayNameSealed).FirstOrDefaultAsync(ct);
        return sealedName is null ? "Someone you work with" : await db.OpenAsync(personId, AttuneUser.Table, personId, "displayName", sealedName, ct);
    }
}
