using Attune.Data;
using Attune.Features.Care;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups;

/// <summary>
/// A group's offering: creating it (with its meetings and its key), editing it, reading it as the
/// viewer may, the public directory and "my groups". Who a person is to a group (facilitator,
/// member, applicant, or nobody) is decided here once, by <see cref="PlaceOfAsync"/>.
/// </summary>
public sealed class GroupsService(AttuneDb db, SharedKeys keys, GroupAgreements defaults, GroupMeetings meetings, EventHub hub, TimeProvider clock)
{
    public const string ChangedEvent = "group.changed";
    public const int DefaultPage = 20, MaxPage = 50, MaxQuery = 100, MaxMine = 200;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // ---- who someone is to a group ----

    /// <summary>Someone's place in a group: their member row while active, their application while it is open or accepted.</summary>
    public sealed record Place(Group Group, string? Role, GroupMember? Member, GroupApplication? Application)
    {
        public bool Facilitates => Role == "facilitator";
        public bool IsMember => Role == "member";
        public bool Involved => Role is "facilitator" or "member";
    }

    /// <summary>The group and the viewer's place in it, or null when they may not see it at all (404).</summary>
    public async Task<Place?> PlaceOfAsync(string? userId, Guid groupId, bool tracked = false, CancellationToken ct = default)
    {
        var query = tracked ? db.Set<Group>() : db.Set<Group>().AsNoTracking();
        var group = await query.FirstOrDefaultAsync(g => g.Id == groupId, ct);
        if (group is null) return null;
        var place = await RoleAsync(userId, group, ct);
        if (place.Role is null && !await IsListedAsync(group, ct)) return null;
        return place;
    }

    private async Task<Place> RoleAsync(string? userId, Group group, CancellationToken ct)
    {
        if (userId is null) return new(group, null, null, null);
        if (group.FacilitatorId == userId) return new(group, "facilitator", null, null);
        var member = await db.Set<GroupMember>().AsNoTracking().FirstOrDefaultAsync(m => m.GroupId == group.Id && m.UserId == userId, ct);
        if (member is { Status: "active" }) return new(group, "member", member, null);
        if (member is null)
        {
            var application = await db.Set<GroupApplication>().AsNoTracking().FirstOrDefaultAsync(a => a.GroupId == group.Id && a.ApplicantId == userId, ct);
            if (application is { Status: "pending" or "waitlisted" or "accepted" }) return new(group, "applicant", null, application);
            return new(group, null, null, application);
        }
        return new(group, null, member, null); // left or removed: a stranger to the group from now on
    }

    public async Task<bool> IsListedAsync(Group g, CancellationToken ct) =>
        g.Listed && !g.HiddenByAdmin && g.ClosedAt == null && (g.ApprovedAt != null || await FacilitatorVerifiedAsync(g.FacilitatorId, ct));

    public Task<bool> FacilitatorVerifiedAsync(string facilitatorId, CancellationToken ct) =>
        db.Set<TherapistProfile>().AsNoTracking().AnyAsync(p => p.UserId == facilitatorId && p.Verified && p.Published && !p.HiddenByAdmin, ct);

    /// <summary>Places left: capacity less the active members and those accepted who haven't agreed yet.</summary>
    public async Task<int> PlacesLeftAsync(Group g, CancellationToken ct)
    {
        var active = await db.Set<GroupMember>().CountAsync(m => m.GroupId == g.Id && m.Status == "active", ct);
        var waiting = await db.Set<GroupApplication>().CountAsync(a => a.GroupId == g.Id && a.Status == "accepted"
            && !db.Set<GroupMember>().Any(m => m.GroupId == g.Id && m.UserId == a.ApplicantId), ct);
        return Math.Max(0, g.Capacity - active - waiting);
    }

    // ---- create and edit ----

    public async Task<(GroupDto? Group, FieldErrors? Errors)> CreateAsync(string userId, GroupInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var zone = GroupRules.Zone(input.TimeZone);
        if (zone is null) errors.Add("timeZone", "Please choose the group's time zone, like Europe/Dublin.");
        var group = new Group { Id = SequentialGuid.Next(), FacilitatorId = userId, CreatedAt = Now, Listed = false };
        Apply(errors, group, input.Title, input.ForWhom, input.Description, input.Focus, input.Part, input.Language ?? "en", input.Capacity ?? 0,
            input.MeetingMinutes ?? GroupRules.DefaultMinutes, input.Join ?? "apply", input.Listed ?? false, input.Questions ?? [],
            input.Agreements ?? [.. defaults.Defaults], input.Retention ?? "meeting", input.FacilitatorName);
        var planned = zone is null ? [] : GroupRules.Meetings(errors, "meetings", input.Meetings, zone, group.MeetingMinutes, Now);
        if (input.Meetings is not { Count: > 0 }) errors.Add("meetings", "Please give at least one meeting.");
        if (errors.Any) return (null, errors);

        group.TimeZone = input.TimeZone!.Trim();
        group.FacilitatorName = GroupRules.Clean(input.FacilitatorName)
            ?? await db.Set<TherapistProfile>().AsNoTracking().Where(p => p.UserId == userId && p.Published).Select(p => p.Name).FirstOrDefaultAsync(ct)
            ?? "Your facilitator";
        db.Add(group);
        meetings.Plan(group, planned, firstNumber: 1);
        db.Add(new Job { Id = SequentialGuid.Next(), Kind = GroupJobs.Retention, Subject = group.Id, DueAt = Now.AddDays(1) });
        // The key's first save carries the group, its meetings and their jobs: one transaction.
        await keys.CreateAsync(group.Id, [userId], ct);
        return (await GetAsync(userId, group.Id, ct), null);
    }

    /// <summary>The facilitator edits the offering, its listing, its retention (before the first meeting) and its meetings.</summary>
    public async Task<(GroupDto? Group, FieldErrors? Errors)> UpdateAsync(string userId, Guid id, GroupPatch patch, CancellationToken ct = default)
    {
        var group = await db.Set<Group>().FirstOrDefaultAsync(g => g.Id == id && g.FacilitatorId == userId, ct);
        if (group is null) return (null, null);
        var errors = new FieldErrors();
        if (group.ClosedAt is not null) return (null, errors.Add("group", "This group has ended, so it can't be changed."));
        var started = await db.Set<GroupMeeting>().AnyAsync(m => m.GroupId == id && m.CancelledAt == null && m.StartsAt <= Now, ct);
        if (patch.Retention is not null && patch.Retention != group.Retention && started)
            errors.Add("retention", "How long words are kept can't change once the group has met: everyone joined knowing it.");
        Apply(errors, group, patch.Title ?? group.Title, patch.ForWhom ?? group.ForWhom, patch.Description ?? group.Description,
            patch.Focus ?? group.Focus, patch.Part ?? group.Part, patch.Language ?? group.Language, patch.Capacity ?? group.Capacity,
            patch.MeetingMinutes ?? group.MeetingMinutes, patch.Join ?? group.Join, patch.Listed ?? group.Listed,
            patch.Questions ?? [.. GroupRules.FromJson(group.Questions)], patch.Agreements ?? [.. GroupRules.FromJson(group.Agreements)],
            patch.Retention ?? group.Retention, patch.FacilitatorName ?? group.FacilitatorName);
        if (patch.Capacity is { } capacity && capacity < group.Capacity)
        {
            var taken = group.Capacity - await PlacesLeftAsync(group, ct);
            if (capacity < taken) errors.Add("capacity", $"{taken} places are already taken, so the group can't be smaller than that.");
        }
        var existing = await db.Set<GroupMeeting>().Where(m => m.GroupId == id).ToListAsync(ct);
        var added = GroupRules.Meetings(errors, "addMeetings", patch.AddMeetings, GroupRules.Zone(group.TimeZone) ?? TimeZoneInfo.Utc,
            group.MeetingMinutes, Now, existing.Count(m => m.CancelledAt == null));
        foreach (var cancel in patch.CancelMeetings ?? [])
        {
            var meeting = existing.FirstOrDefault(m => m.Id == cancel);
            if (meeting is null) errors.Add("cancelMeetings", "One of these meetings isn't in this group.");
            else if (meeting.StartsAt <= Now) errors.Add("cancelMeetings", "A meeting that has started can't be cancelled.");
            else if (meeting.CancelledAt is null)
            {
                meeting.CancelledAt = Now;
                meeting.Sequence++;
            }
        }
        if (errors.Any) return (null, errors);
        meetings.Plan(group, added, firstNumber: existing.Count + 1);
        await db.SaveChangesAsync(ct);
        foreach (var person in await PeopleAsync(group, ct)) hub.Publish(person, ChangedEvent, group.Id);
        return (await GetAsync(userId, id, ct), null);
    }

    private static void Apply(FieldErrors errors, Group g, string? title, string? forWhom, string? description, string? focus, int? part,
        string language, int capacity, int minutes, string join, bool listed, List<string> questions, List<string> agreements,
        string retention, string? facilitatorName)
    {
        g.Title = GroupRules.Clean(title) ?? "";
        GroupRules.Required(errors, "title", GroupRules.Clean(title), GroupRules.MaxTitle, "Please give the group a title.");
        g.ForWhom = GroupRules.Clean(forWhom) ?? "";
        GroupRules.Required(errors, "forWhom", GroupRules.Clean(forWhom), GroupRules.MaxForWhom, "Please say who the group is for.");
        g.Description = GroupRules.Clean(description) ?? "";
        GroupRules.Required(errors, "description", GroupRules.Clean(description), GroupRules.MaxDescription, "Please describe the group.", multiline: true);
        g.Focus = GroupRules.Clean(focus) ?? "";
        errors.MaxLength("focus", g.Focus, GroupRules.MaxFocus).PlainText("focus", g.Focus);
        if (part is not null) errors.Range("part", part, 1, 4);
        g.Part = part;
        g.Language = GroupRules.Clean(language) ?? "en";
        if (!GroupLanguages.IsKnown(g.Language)) errors.Add("language", GroupLanguages.Unknown);
        errors.Range("capacity", capacity, GroupRules.MinCapacity, GroupRules.MaxCapacity);
        g.Capacity = capacity;
        errors.Range("meetingMinutes", minutes, GroupRules.MinMinutes, GroupRules.MaxMinutes);
        g.MeetingMinutes = minutes;
        if (!GroupRules.Joins.Contains(join)) errors.Add("join", "Please choose apply or invite.");
        g.Join = join;
        if (listed && join == "invite") errors.Add("listed", "A group joined only by invitation stays out of the directory. Choose apply to list it.");
        g.Listed = listed;
        g.Questions = GroupRules.Json(GroupRules.Lines(errors, "questions", questions, GroupRules.MaxQuestions, GroupRules.MaxQuestion));
        g.Agreements = GroupRules.Json(GroupRules.Lines(errors, "agreements", agreements, GroupRules.MaxAgreements, GroupRules.MaxAgreement));
        if (!GroupRules.Retentions.Contains(retention)) errors.Add("retention", "Please choose meeting or days30.");
        g.Retention = retention;
        var name = GroupRules.Clean(facilitatorName);
        errors.MaxLength("facilitatorName", name, GroupRules.MaxFacilitatorName).PlainText("facilitatorName", name);
        if (name is not null) g.FacilitatorName = name;
    }

    /// <summary>The facilitator and the active members: who hears about changes to the group.</summary>
    public async Task<List<string>> PeopleAsync(Group g, CancellationToken ct)
    {
        var people = await db.Set<GroupMember>().Where(m => m.GroupId == g.Id && m.Status == "active").Select(m => m.UserId).ToListAsync(ct);
        people.Add(g.FacilitatorId);
        return people;
    }

    // ---- reading ----

    public async Task<GroupDto?> GetAsync(string? userId, Guid id, CancellationToken ct = default) =>
        await PlaceOfAsync(userId, id, ct: ct) is { } place ? await DtoAsync(place, userId, ct) : null;

    public async Task<GroupDto> DtoAsync(Place place, string? viewerId, CancellationToken ct)
    {
        var g = place.Group;
        var all = await meetings.RowsAsync(g.Id, ct);
        var viewerZone = viewerId is null ? g.TimeZone : (await db.ProfileAsync(viewerId, ct))?.TimeZoneId ?? g.TimeZone;
        var first = all.FirstOrDefault(m => m.CancelledAt == null);
        MeetingDto? next = null;
        if (place.Involved && viewerId is not null)
            next = (await meetings.ListAsync(viewerId, g, ct)).FirstOrDefault(m => m.Status is "open" or "upcoming");
        string? listing = place.Facilitates ? ListingOf(g, await FacilitatorVerifiedAsync(g.FacilitatorId, ct)) : null;
        return new GroupDto(g.Id, g.Title, g.ForWhom, g.Description, g.Focus.Length == 0 ? null : g.Focus, g.Part, g.Language, g.Capacity, g.TimeZone,
            Account.Places.ZoneName(g.TimeZone), g.MeetingMinutes, g.Join, g.FacilitatorName, await FacilitatorVerifiedAsync(g.FacilitatorId, ct),
            GroupRules.FromJson(g.Questions), GroupRules.FromJson(g.Agreements), g.Retention, await PlacesLeftAsync(g, ct),
            all.Count(m => m.CancelledAt == null), first is null ? null : GroupRules.LocalLine(first.StartsAt, viewerZone), next, place.Role,
            place.Application?.Status, place.IsMember ? place.Member!.Id : null, listing, g.ClosedAt != null, g.FollowsGroupId,
            new DateTimeOffset(DateTime.SpecifyKind(g.CreatedAt, DateTimeKind.Utc)));
    }

    public static string ListingOf(Group g, bool verified) =>
        !g.Listed ? "unlisted" : g.HiddenByAdmin ? "hidden" : g.ApprovedAt != null || verified ? "listed" : "pending";

    public async Task<GroupCardDto> CardAsync(Group g, string viewerZone, CancellationToken ct)
    {
        // The meeting under way (if any) and the next to start, in one read.
        var now = Now;
        var since = now.AddMinutes(-g.MeetingMinutes);
        var coming = await db.Set<GroupMeeting>().AsNoTracking().Where(m => m.GroupId == g.Id && m.CancelledAt == null && m.StartsAt > since)
            .OrderBy(m => m.StartsAt).Select(m => m.StartsAt).Take(2).ToListAsync(ct);
        var first = coming.Where(at => at > now).Select(at => (DateTime?)at).FirstOrDefault();
        return new GroupCardDto(g.Id, g.Title, g.ForWhom, g.Focus.Length == 0 ? null : g.Focus, g.Part, g.Language, g.FacilitatorName, await FacilitatorVerifiedAsync(g.FacilitatorId, ct),
            first is { } f ? GroupRules.LocalLine(f, viewerZone) : null, await PlacesLeftAsync(g, ct), g.Retention, g.ClosedAt != null,
            coming.Any(at => at <= now));
    }

    /// <summary>The public directory: listed groups only, newest first, filtered like the therapist directory.</summary>
    public async Task<Page<GroupCardDto>> DirectoryAsync(string? viewerId, string? q, int? part, string? language, int limit, int offset, CancellationToken ct = default)
    {
        var verified = db.Set<TherapistProfile>().Where(p => p.Verified && p.Published && !p.HiddenByAdmin).Select(p => p.UserId);
        var query = db.Set<Group>().AsNoTracking()
            .Where(g => g.Listed && !g.HiddenByAdmin && g.ClosedAt == null && (g.ApprovedAt != null || verified.Contains(g.FacilitatorId)));
        if (part is { } p) query = query.Where(g => g.Part == null || g.Part <= p);
        if (language is not null) query = query.Where(g => g.Language == language);
        if (q is not null)
        {
            var like = $"%{q.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)}%";
            query = query.Where(g => EF.Functions.Like(g.Title, like, "\\") || EF.Functions.Like(g.ForWhom, like, "\\")
                || EF.Functions.Like(g.Focus, like, "\\") || EF.Functions.Like(g.Description, like, "\\"));
        }
        var rows = await query.OrderByDescending(g => g.CreatedAt).ThenBy(g => g.Id).Skip(offset).Take(limit + 1).ToListAsync(ct);
        var zone = viewerId is null ? null : (await db.ProfileAsync(viewerId, ct))?.TimeZoneId;
        var cards = new List<GroupCardDto>();
        foreach (var g in rows.Take(limit)) cards.Add(await CardAsync(g, zone ?? g.TimeZone, ct));
        return new Page<GroupCardDto>(cards, rows.Count > limit ? (offset + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Groups I facilitate, belong to, or applied to; and the notes of groups I was removed from.</summary>
    public async Task<MyGroupsDto> MineAsync(string userId, CancellationToken ct = default)
    {
        var zone = (await db.ProfileAsync(userId, ct))?.TimeZoneId ?? "UTC";
        var facilitating = new List<GroupCardDto>();
        foreach (var g in await db.Set<Group>().AsNoTracking().Where(g => g.FacilitatorId == userId).OrderByDescending(g => g.CreatedAt).Take(MaxMine).ToListAsync(ct))
            facilitating.Add(await CardAsync(g, zone, ct));

        var member = new List<MembershipDto>();
        var removed = new List<RemovalNoteDto>();
        var rows = await (from m in db.Set<GroupMember>().AsNoTracking()
                          join g in db.Set<Group>().AsNoTracking() on m.GroupId equals g.Id
                          where m.UserId == userId
                          orderby m.AgreedAt descending
                          select new { m, g }).Take(MaxMine).ToListAsync(ct);
        foreach (var x in rows)
        {
            if (x.m.Status == "active")
            {
                var key = await keys.OpenAsync(x.g.Id, userId, ct);
                member.Add(new MembershipDto(await CardAsync(x.g, zone, ct), x.m.Id, Membership.NameOf(key, x.m),
                    new DateTimeOffset(DateTime.SpecifyKind(x.m.AgreedAt, DateTimeKind.Utc))));
            }
            else if (x.m.Status == "removed")
            {
                var reason = x.m.RemovalReason is null ? null : await db.OpenAsync(userId, GroupMember.Table, x.m.Id.ToString(), "reason", x.m.RemovalReason, ct);
                removed.Add(new RemovalNoteDto(x.g.Id, x.g.Title, reason, new DateTimeOffset(DateTime.SpecifyKind(x.m.LeftAt ?? x.m.AgreedAt, DateTimeKind.Utc))));
            }
        }

        var applied = new List<AppliedDto>();
        var applications = await (from a in db.Set<GroupApplication>().AsNoTracking()
                                  join g in db.Set<Group>().AsNoTracking() on a.GroupId equals g.Id
                                  where a.ApplicantId == userId && !db.Set<GroupMember>().Any(m => m.GroupId == a.GroupId && m.UserId == userId)
                                  orderby a.CreatedAt descending
                                  select new { a, g }).Take(MaxMine).ToListAsync(ct);
        foreach (var x in applications)
        {
            string? note = null;
            if (x.a.DeclineNote is not null)
            {
                var key = await keys.OpenPairAsync(GroupApplication.Table, x.a.Id, userId, x.a.KeyApplicant, ct);
                note = key.Open(GroupApplication.Table, x.a.Id.ToString(), "declineNote", x.a.DeclineNote);
            }
            applied.Add(new AppliedDto(await CardAsync(x.g, zone, ct), x.a.Id, x.a.Status, note, new DateTimeOffset(DateTime.SpecifyKind(x.a.CreatedAt, DateTimeKind.Utc))));
        }
        return new MyGroupsDto(facilitating, member, applied, removed);
    }
}
