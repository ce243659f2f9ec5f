using System.Text.Json;
using Attune.Data;
using Attune.Features.Assessments;
using Attune.Features.Care;
using Attune.Features.Privacy;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups;

/// <summary>
/// Asking to join and being answered. The answers (and a decline note) are sealed under a pair key
/// the applicant and the facilitator alone hold. Measures and the person's therapist reach the
/// facilitator only if the person said so, and each time the facilitator reads them it goes into
/// the applicant's access log. Capacity is checked inside the write gate, so two accepts at once
/// cannot overfill a group.
/// </summary>
public sealed class Applications(AttuneDb db, WriteGate gate, SharedKeys keys, GroupsService groups, GroupAgreements defaults, Instruments instruments,
    AccessLog accessLog, EventHub hub, TimeProvider clock)
{
    public const int MaxApplications = 200;
    private static readonly string[] Measured = ["signs", "phq9", "gad7"];

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Applies to a group. Null with no errors: the person may not see it (404).</summary>
    public async Task<(ApplicationDto? Application, FieldErrors? Errors)> ApplyAsync(string userId, Guid groupId, ApplicationInput input, CancellationToken ct = default)
    {
        var place = await groups.PlaceOfAsync(userId, groupId, ct: ct);
        if (place is null) return (null, null);
        var g = place.Group;
        var errors = new FieldErrors();
        var questions = GroupRules.FromJson(g.Questions);
        var answers = (input.Answers ?? []).Select(a => a?.Trim() ?? "").ToList();
        if (place.Facilitates) errors.Add("group", "This is your own group.");
        else if (place.IsMember) errors.Add("group", "You're already in this group.");
        else if (place.Application is { Status: "pending" or "waitlisted" or "accepted" }) errors.Add("group", "You've already applied. The facilitator will answer.");
        else if (place.Member is not null || place.Application is { Status: "declined" }) errors.Add("group", "You can't apply to this group again. Other groups are in the directory.");
        if (g.ClosedAt is not null) errors.Add("group", "This group has ended.");
        else if (g.Join != "apply") errors.Add("group", "This group is joined by invitation only.");
        if (answers.Count != questions.Count) errors.Add("answers", $"Please answer each of the {questions.Count} questions (an answer may be short).");
        for (var i = 0; i < answers.Count && i < GroupRules.MaxQuestions; i++)
            errors.MaxLength($"answers[{i}]", answers[i], GroupRules.MaxAnswer).PlainText($"answers[{i}]", answers[i], multiline: true);
        if (errors.Any) return (null, errors);

        // A member of the cycle this one follows on from opts in by applying: they are accepted at once.
        var followOn = g.FollowsGroupId is { } previous
            && await db.Set<GroupMember>().AnyAsync(m => m.GroupId == previous && m.UserId == userId && m.Status == "active", ct);
        var row = await NewAsync(g, userId, answers, input.ShareMeasures ?? false, input.TherapistKnows ?? false, ct);
        if (followOn)
        {
            using (await gate.EnterAsync(ct))
            {
                row.Status = await groups.PlacesLeftAsync(g, ct) > 0 ? "accepted" : "waitlisted";
                row.DecidedAt = Now;
                db.Add(row);
                await db.SaveChangesAsync(ct);
            }
        }
        else
        {
            db.Add(row);
            await db.SaveChangesAsync(ct);
        }
        hub.Publish(g.FacilitatorId, GroupsService.ChangedEvent, g.Id);
        return (await DtoAsync(row, userId, ct), null);
    }

    private async Task<GroupApplication> NewAsync(Group g, string userId, IReadOnlyList<string> answers, bool shareMeasures, bool therapistKnows, CancellationToken ct)
    {
        var row = new GroupApplication
        {
            Id = SequentialGuid.Next(),
            GroupId = g.Id,
            ApplicantId = userId,
            Status = "pending",
            ShareMeasures = shareMeasures,
            TherapistKnows = therapistKnows,
            CreatedAt = Now,
        };
        (var key, row.KeyApplicant, row.KeyFacilitator) = await keys.NewPairAsync(GroupApplication.Table, row.Id, userId, g.FacilitatorId, ct);
        row.Answers = key.Seal(GroupApplication.Table, row.Id.ToString(), "answers", JsonSerializer.Serialize(answers));
        return row;
    }

    /// <summary>
    /// Someone with the invitation link joins: an application accepted at once (capacity applies),
    /// then the agreements. Null: no group has this link (404).
    /// </summary>
    public async Task<(JoinedDto? Joined, FieldErrors? Errors)> JoinAsync(string userId, Group? g, CancellationToken ct = default)
    {
        if (g is null) return (null, null);
        var errors = new FieldErrors();
        if (g.FacilitatorId == userId) return (null, errors.Add("token", "This is your own group's link."));
        if (g.ClosedAt is not null) return (null, errors.Add("token", "This group has ended."));
        var member = await db.Set<GroupMember>().AsNoTracking().FirstOrDefaultAsync(m => m.GroupId == g.Id && m.UserId == userId, ct);
        if (member is not null) return (null, errors.Add("token", member.Status == "active" ? "You're already in this group." : "This link can't bring you back into this group."));
        using (await gate.EnterAsync(ct))
        {
            var row = await db.Set<GroupApplication>().FirstOrDefaultAsync(a => a.GroupId == g.Id && a.ApplicantId == userId, ct);
            if (row is { Status: "declined" or "withdrawn" }) return (null, errors.Add("token", "This link can't be used for you in this group."));
            if (row is not { Status: "accepted" })
            {
                if (await groups.PlacesLeftAsync(g, ct) <= 0) return (null, errors.Add("token", "This group is full. The facilitator may open a place later."));
                if (row is null) db.Add(row = await NewAsync(g, userId, [], false, false, ct));
                row.Status = "accepted";
                row.DecidedAt = Now;
                await db.SaveChangesAsync(ct);
            }
            hub.Publish(g.FacilitatorId, GroupsService.ChangedEvent, g.Id);
            return (new JoinedDto(g.Id, row.Id, row.Status, $"/groups/{g.Id}/agreement"), null);
        }
    }

    /// <summary>The facilitator's applications, answers opened for them; every opening goes into the applicant's access log.</summary>
    public async Task<IReadOnlyList<ApplicationDto>?> ListAsync(string userId, Guid groupId, CancellationToken ct = default)
    {
        var g = await db.Set<Group>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == groupId && x.FacilitatorId == userId, ct);
        if (g is null) return null;
        var rows = await db.Set<GroupApplication>().AsNoTracking().Where(a => a.GroupId == groupId && a.Status != "withdrawn")
            .OrderBy(a => a.CreatedAt).Take(MaxApplications).ToListAsync(ct);
        var result = new List<ApplicationDto>();
        foreach (var a in rows)
        {
            result.Add(await DtoAsync(a, userId, ct));
            await accessLog.RecordAsync(a.ApplicantId, userId, "read", "groupApplication", a.Id.ToString(), via: Board.GroupShareChannel.ReaderOf(groupId), ct: ct);
        }
        return result;
    }

    /// <summary>One application as its applicant or the group's facilitator sees it.</summary>
    public async Task<ApplicationDto> DtoAsync(GroupApplication a, string viewerId, CancellationToken ct)
    {
        var asFacilitator = viewerId != a.ApplicantId;
        var key = await keys.OpenPairAsync(GroupApplication.Table, a.Id, viewerId, asFacilitator ? a.KeyFacilitator : a.KeyApplicant, ct);
        var answers = JsonSerializer.Deserialize<List<string>>(key.Open(GroupApplication.Table, a.Id.ToString(), "answers", a.Answers)) ?? [];
        var questions = GroupRules.FromJson(await db.Set<Group>().Where(g => g.Id == a.GroupId).Select(g => g.Questions).FirstAsync(ct));
        var pairs = answers.Select((text, i) => new AnswerDto(i < questions.Count ? questions[i] : "", text)).ToList();
        var note = a.DeclineNote is null ? null : key.Open(GroupApplication.Table, a.Id.ToString(), "declineNote", a.DeclineNote);
        var name = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == a.ApplicantId, ct) is { } u ? await db.DisplayNameOrAsync(u, "Someone", ct) : "Someone";
        return new ApplicationDto(a.Id, a.GroupId, name, a.Status, pairs, a.ShareMeasures, a.TherapistKnows,
            a.ShareMeasures && a.Status is "pending" or "waitlisted" ? await MeasuresAsync(a.ApplicantId, ct) : null,
            a.TherapistKnows && a.Status is "pending" or "waitlisted" ? await TherapistAsync(a.ApplicantId, ct) : null,
            note, new DateTimeOffset(DateTime.SpecifyKind(a.CreatedAt, DateTimeKind.Utc)),
            a.DecidedAt is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : null);
    }

    private async Task<IReadOnlyList<MeasureDto>> MeasuresAsync(string personId, CancellationToken ct)
    {
        var result = new List<MeasureDto>();
        foreach (var code in Measured)
        {
            var row = await db.Set<CheckIn>().AsNoTracking().OwnedBy(personId).Where(c => c.Instrument == code).OrderByDescending(c => c.TakenAt).FirstOrDefaultAsync(ct);
            if (row is null || instruments.Find(code) is not { } instrument || await db.ScoreAsync(instruments, row, ct) is not { } score) continue;
            result.Add(new MeasureDto(code, instrument.Title, score.Total, instrument.MaxTotal, score.Band, new DateTimeOffset(DateTime.SpecifyKind(row.TakenAt, DateTimeKind.Utc))));
        }
        return result;
    }

    /// <summary>The therapist the person is in care with, named to the facilitator only with the person's consent.</summary>
    private async Task<string?> TherapistAsync(string personId, CancellationToken ct) =>
        await (from c in db.Set<CareRelationship>().AsNoTracking()
               join p in db.Set<TherapistProfile>().AsNoTracking() on c.TherapistId equals p.UserId
               where c.PersonId == personId && c.Status == CareStatus.Active
               select p.Name).FirstOrDefaultAsync(ct);

    /// <summary>The facilitator answers: accept (409 when full), decline with a kind note, or waitlist. Null: not theirs (404).</summary>
    public async Task<(ApplicationDto? Application, FieldErrors? Errors, bool Full)> AnswerAsync(string userId, Guid groupId, Guid appId, string answer, string? note, CancellationToken ct = default)
    {
        var g = await db.Set<Group>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == groupId && x.FacilitatorId == userId, ct);
        if (g is null) return (null, null, false);
        var errors = new FieldErrors();
        note = GroupRules.Clean(note);
        errors.MaxLength("note", note, GroupRules.MaxNote).PlainText("note", note, multiline: true);
        using (await gate.EnterAsync(ct))
        {
            var row = await db.Set<GroupApplication>().FirstOrDefaultAsync(a => a.Id == appId && a.GroupId == groupId, ct);
            if (row is null) return (null, null, false);
            if (row.Status is not ("pending" or "waitlisted")) errors.Add("application", "This application has already been answered.");
            if (g.ClosedAt is not null) errors.Add("application", "This group has ended.");
            if (errors.Any) return (null, errors, false);
            if (answer == "accept" && await groups.PlacesLeftAsync(g, ct) <= 0) return (null, null, true);
            row.Status = answer switch { "accept" => "accepted", "decline" => "declined", _ => "waitlisted" };
            row.DecidedAt = Now;
            if (answer == "decline")
            {
                var key = await keys.OpenPairAsync(GroupApplication.Table, row.Id, userId, row.KeyFacilitator, ct);
                row.DeclineNote = key.Seal(GroupApplication.Table, row.Id.ToString(), "declineNote", note ?? defaults.DeclineNote);
            }
            await db.SaveChangesAsync(ct);
            hub.Publish(row.ApplicantId, GroupsService.ChangedEvent, g.Id);
            return (await DtoAsync(row, userId, ct), null, false);
        }
    }
}
