using System.Text.Json;
using Attune.Data;
using Attune.Features.Account;
using Attune.Features.Assessments;
using Attune.Features.Privacy;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>
/// Connecting with a therapist: the request, the answer, the person's consents, ending it; and
/// what the care features share (the relationship's pair key, names, notices without content).
/// What the therapist may then see is <see cref="Caseload"/>; assignments are
/// <see cref="CareAssignments"/>; messages <see cref="CareMessages"/>.
/// </summary>
public sealed class CareService(
    AttuneDb db, SharedKeys keys, TherapistDirectory directory, Instruments instruments, AccessLog accessLog, EventHub hub, Mailer mailer, AccountEmails links, TimeProvider clock)
{
    public const int MaxMessage = 1000, MaxRelationships = 200;
    public const string EndedEvent = "care.ended";

    // ---- connecting ----

    /// <summary>A person asks a listed therapist to connect. Null: no such listed profile (404).</summary>
    public async Task<(CareDto? Care, FieldErrors? Errors)> RequestAsync(string personId, Guid profileId, ConnectInput input, CancellationToken ct = default)
    {
        var profile = await directory.GetAsync(profileId, ct);
        if (profile is null) return (null, null);
        var therapistId = await db.Set<TherapistProfile>().Where(p => p.Id == profileId).Select(p => p.UserId).FirstAsync(ct);
        var errors = new FieldErrors();
        var message = string.IsNullOrWhiteSpace(input.Message) ? null : input.Message.Trim();
        errors.MaxLength("message", message, MaxMessage);
        if (therapistId == personId) errors.Add("therapistId", "This is your own profile.");
        if (!profile.Accepting) errors.Add("therapistId", "This therapist isn't taking new people right now.");
        var existing = await db.Set<CareRelationship>().FirstOrDefaultAsync(c => c.PersonId == personId && c.TherapistId == therapistId, ct);
        if (existing?.Status == CareStatus.Requested) errors.Add("therapistId", "You've already asked. They'll answer when they can.");
        if (existing?.Status == CareStatus.Active) errors.Add("therapistId", "You're already connected with this therapist.");
        CheckIn? signs = null;
        if (input.AttachSigns == true)
        {
            signs = await db.Set<CheckIn>().AsNoTracking().Where(c => c.OwnerId == personId && c.Instrument == "signs").OrderByDescending(c => c.TakenAt).FirstOrDefaultAsync(ct);
            if (signs is null) errors.Add("attachSigns", "You haven't taken the Signs check-in yet, so there is nothing to attach.");
        }
        if (errors.Any) return (null, errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var row = existing ?? new CareRelationship { Id = Infrastructure.SequentialGuid.Next(), PersonId = personId, TherapistId = therapistId };
        (var key, row.PairKeyPerson, row.PairKeyTherapist) = await keys.NewPairAsync(CareRelationship.Table, row.Id, personId, therapistId, ct);
        row.Status = CareStatus.Requested;
        row.Message = message is null ? null : key.Seal(CareRelationship.Table, row.Id.ToString(), "message", message);
        row.Signs = signs is null ? null : key.Seal(CareRelationship.Table, row.Id.ToString(), "signs", JsonSerializer.Serialize(await SnapshotAsync(signs, ct)));
        row.ConsentJourney = row.ConsentCheckIns = row.ConsentActivations = false;
        row.RequestedAt = now;
        row.AnsweredAt = null;
        if (existing is null) db.Add(row);
        await db.SaveChangesAsync(ct);
        hub.Publish(therapistId, "care.requested", row.Id);
        await NotifyAsync(therapistId, "Someone has asked to connect with you on Attune",
            "Someone found your profile in the Attune directory and asked to connect. Sign in to read their request and answer it.", "/caseload", ct);
        return (await GetAsync(personId, row.Id, ct), null);
    }

    private async Task<SignsSnapshot> SnapshotAsync(CheckIn c, CancellationToken ct)
    {
        var instrument = instruments.Find("signs")!;
        var score = (await db.ScoreAsync(instruments, c, ct))!;
        return new SignsSnapshot(score.Total, instrument.MaxTotal, score.Band, score.Subscales, new DateTimeOffset(c.TakenAt));
    }

    /// <summary>The requests waiting for this therapist, with what each person wrote.</summary>
    public async Task<IReadOnlyList<CareRequestDto>> RequestsAsync(string therapistId, CancellationToken ct = default)
    {
        var rows = await db.Set<CareRelationship>().AsNoTracking().Where(c => c.TherapistId == therapistId && c.Status == CareStatus.Requested)
            .OrderBy(c => c.RequestedAt).Take(MaxRelationships).ToListAsync(ct);
        var result = new List<CareRequestDto>();
        foreach (var c in rows)
        {
            var key = await SharedKeyAsync(c, therapistId, ct);
            var message = c.Message is null ? null : key.Open(CareRelationship.Table, c.Id.ToString(), "message", c.Message);
            var signs = c.Signs is null ? null
                : JsonSerializer.Deserialize<SignsSnapshot>(key.Open(CareRelationship.Table, c.Id.ToString(), "signs", c.Signs));
            if (signs is not null) await accessLog.RecordAsync(c.PersonId, therapistId, "read", "signs", c.Id.ToString(), ct: ct);
            result.Add(new CareRequestDto(c.Id, c.PersonId, await PersonNameAsync(c.PersonId, ct), message, signs, new DateTimeOffset(c.RequestedAt)));
        }
        return result;
    }

    /// <summary>The therapist accepts or declines. Null: no such request of theirs (404).</summary>
    public async Task<CareDto?> AnswerAsync(string therapistId, Guid id, bool accept, CancellationToken ct = default)
    {
        var row = await db.Set<CareRelationship>().FirstOrDefaultAsync(c => c.Id == id && c.TherapistId == therapistId && c.Status == CareStatus.Requested, ct);
        if (row is null) return null;
        row.Status = accept ? CareStatus.Active : CareStatus.Declined;
        row.AnsweredAt = clock.GetUtcNow().UtcDateTime;
        row.Message = null; // the request has done its work
        row.Signs = null;
        await db.SaveChangesAsync(ct);
        hub.Publish(row.PersonId, "care.answered", row.Id);
        await NotifyAsync(row.PersonId, "Your request on Attune has an answer",
            accept
                ? "The therapist you asked to connect with has said yes. Sign in to choose what they may see. Nothing is shared until you choose."
                : "The therapist you asked to connect with can't take this on right now. That isn't about you. The directory has others you could ask.",
            "/care", ct);
        return await DtoAsync(row, therapistId, ct);
    }

    public async Task<IReadOnlyList<CareDto>> ListAsync(string userId, CancellationToken ct = default)
    {
        var rows = await db.Set<CareRelationship>().AsNoTracking()
            .Where(CareRelationship.VisibleTo(userId))
            .OrderBy(c => c.RequestedAt).Take(MaxRelationships).ToListAsync(ct);
        var result = new List<CareDto>();
        foreach (var c in rows) result.Add(await DtoAsync(c, userId, ct));
        return result;
    }

    public async Task<CareDto?> GetAsync(string userId, Guid id, CancellationToken ct = default) =>
        await db.Set<CareRelationship>().AsNoTracking().Where(CareRelationship.VisibleTo(userId)).FirstOrDefaultAsync(c => c.Id == id, ct) is { } c
            ? await DtoAsync(c, userId, ct) : null;

    public async Task<CareDto> DtoAsync(CareRelationship c, string userId, CancellationToken ct)
    {
        var asPerson = c.PersonId == userId;
        var profile = await db.Set<TherapistProfile>().AsNoTracking().Where(p => p.UserId == c.TherapistId).Select(p => new { p.Id, p.Name }).FirstOrDefaultAsync(ct);
        var other = asPerson ? profile?.Name ?? "A therapist" : await PersonNameAsync(c.PersonId, ct);
        return new CareDto(c.Id, asPerson ? "person" : "therapist", c.Status, asPerson ? c.TherapistId : c.PersonId, other, profile?.Id,
            Consent(c), new DateTimeOffset(c.RequestedAt), c.Status == CareStatus.Active && c.AnsweredAt is { } a ? new DateTimeOffset(a) : null);
    }

    internal static Consents Consent(CareRelationship c) => new(c.ConsentJourney, c.ConsentCheckIns, c.ConsentActivations);

    /// <summary>Only the person sets what their therapist may see; it takes effect on the next request.</summary>
    public async Task<(CareDto? Care, FieldErrors? Errors)> SetConsentsAsync(string userId, Guid id, ConsentsPatch patch, CancellationToken ct = default)
    {
        var row = await db.Set<CareRelationship>().Where(CareRelationship.VisibleTo(userId)).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null) return (null, null);
        var errors = new FieldErrors();
        if (row.PersonId != userId) errors.Add("consents", "Only the person can choose what their therapist may see.");
        else if (row.Status != CareStatus.Active) errors.Add("consents", "You can choose what they may see once they have said yes.");
        if (errors.Any) return (null, errors);
        row.ConsentJourney = patch.Journey ?? row.ConsentJourney;
        row.ConsentCheckIns = patch.CheckIns ?? row.ConsentCheckIns;
        row.ConsentActivations = patch.Activations ?? row.ConsentActivations;
        row.ConsentsChangedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        hub.Publish(row.TherapistId, "care.changed", row.Id);
        return (await GetAsync(userId, id, ct), null);
    }

    /// <summary>Either side ends it (or the person withdraws a request). Everything under it goes at once.</summary>
    public async Task<bool> EndAsync(string userId, Guid id, CancellationToken ct = default)
    {
        var row = await db.Set<CareRelationship>().Where(CareRelationship.VisibleTo(userId)).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null) return false;
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        hub.Publish(row.PersonId, EndedEvent, row.Id);
        hub.Publish(row.TherapistId, EndedEvent, row.Id);
        return true;
    }

    // ---- helpers ----

    /// <summary>The relationship between this therapist and this person, while it is active and the therapist's profile isn't hidden.</summary>
    public async Task<CareRelationship?> ActiveBetweenAsync(string therapistId, string personId, CancellationToken ct) =>
        await directory.IsWorkingAsync(therapistId, ct)
            ? await db.Set<CareRelationship>().AsNoTracking().FirstOrDefaultAsync(c => c.TherapistId == therapistId && c.PersonId == personId && c.Status == CareStatus.Active, ct)
            : null;

    /// <summary>A relationship <paramref name="userId"/> is in, on either side, while it is active.</summary>
    public Task<CareRelationship?> ActiveOfAsync(string userId, Guid careId, CancellationToken ct) =>
        db.Set<CareRelationship>().AsNoTracking().Where(CareRelationship.Involving(userId)).FirstOrDefaultAsync(c => c.Id == careId && c.Status == CareStatus.Active, ct);

    /// <summary>The relationship's key as one of its two people opens it with their own key (epoch 0 is the pair key on the row).</summary>
    public Task<SharedKey> SharedKeyAsync(CareRelationship c, string userId, CancellationToken ct) =>
        userId == c.PersonId ? keys.OpenPairAsync(CareRelationship.Table, c.Id, c.PersonId, c.PairKeyPerson, ct)
        : userId == c.TherapistId ? keys.OpenPairAsync(CareRelationship.Table, c.Id, c.TherapistId, c.PairKeyTherapist, ct)
        : throw new InvalidOperationException("Only the two people in a relationship hold its key.");


    public async Task<string> PersonNameAsync(string personId, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == personId, ct) is { } u ? await db.DisplayNameOrAsync(u, "Someone", ct) : "Someone";

    /// <summary>An email that says only that there is something to see: never a name, never what anyone wrote.</summary>
    public async Task NotifyAsync(string userId, string subject, string text, string path, CancellationToken ct)
    {
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        if (email is null) return;
        await mailer.SendAsync(email, subject, $"""
            Hello,

            {text}

            {links.BaseUrl}{path}

            Attune
            """, ct);
    }
}
