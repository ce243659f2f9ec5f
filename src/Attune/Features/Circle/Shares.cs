using System.Globalization;
using System.Text.RegularExpressions;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>
/// One item (a journal entry, a practice's answers, a check-in result) shared by its owner with
/// one person in their circle who may see shared items, or with their therapist. The item itself stays where it is, sealed
/// under its owner's key; the share only lets that one person read it, and is checked on every
/// request. Revoking deletes it; so does ending the relationship.
/// </summary>
public sealed class Share
{
    public Guid Id { get; set; }
    /// <summary>The circle relationship it was shared through; or, for a therapist, <see cref="CareId"/>. Exactly one is set.</summary>
    public Guid? MemberId { get; set; }
    public Guid? CareId { get; set; }
    public string OwnerId { get; set; } = "";
    public string WithUserId { get; set; } = "";
    public string ItemType { get; set; } = "";
    public Guid ItemId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FirstReadAt { get; set; }
    /// <summary>When the owner last opened the share: reflections written after it are new to them.</summary>
    public DateTime? OwnerSeenAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<Share>
    {
        public void Configure(EntityTypeBuilder<Share> b)
        {
            b.ToTable("Shares");
            b.HasKey(s => s.Id);
            b.Property(s => s.ItemType).HasMaxLength(16);
            b.HasIndex(s => new { s.MemberId, s.ItemType, s.ItemId }).IsUnique();
            b.HasIndex(s => new { s.CareId, s.ItemType, s.ItemId }).IsUnique();
            b.HasIndex(s => s.OwnerId);
            b.HasIndex(s => s.WithUserId);
            b.HasOne<CircleMember>().WithMany().HasForeignKey(s => s.MemberId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Care.CareRelationship>().WithMany().HasForeignKey(s => s.CareId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>What the person shared with wrote back: sealed under the relationship's pair key.</summary>
public sealed class WitnessReflection
{
    public const string Table = "witness_reflections";

    public Guid Id { get; set; }
    public Guid ShareId { get; set; }
    public string AuthorId { get; set; } = "";
    public Sealed Text { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<WitnessReflection>
    {
        public void Configure(EntityTypeBuilder<WitnessReflection> b)
        {
            b.ToTable("WitnessReflections");
            b.HasKey(w => w.Id);
            b.Property(w => w.AuthorId).HasMaxLength(64);
            b.HasIndex(w => new { w.ShareId, w.CreatedAt });
            b.HasOne<Share>().WithMany().HasForeignKey(w => w.ShareId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public sealed record ShareInput(string? ItemType, Guid? ItemId, string? WithUserId);

public sealed record WitnessInput(string? Text);

public sealed record SharedLine(string Kind, string Text);

/// <summary>A shared item as its reader sees it: a title, lines in reading order, and a drawing or photo if it has one.</summary>
public sealed record SharedItemDto(string Type, Guid Id, string Title, IReadOnlyList<SharedLine> Lines, string? Image);

/// <summary>A witness reflection. <c>adviceLike</c> (on the answer to writing one) says it opens like advice, for clients that want to ask about it.</summary>
public sealed record WitnessDto(Guid Id, string Author, bool Mine, string Text, DateTimeOffset At, bool? AdviceLike = null);

public sealed record ShareReadDto(DateTimeOffset At, string By);

/// <summary>
/// A share. <c>role</c>: <c>owner</c> (I shared it) or <c>reader</c> (shared with me).
/// <c>with</c> is the other person's name as I know them. The owner also sees every read.
/// </summary>
public sealed record ShareDto(Guid Id, string Role, string ItemType, Guid ItemId, string Title, string WithUserId, string With, DateTimeOffset SharedAt,
    DateTimeOffset? FirstReadAt, int Witnesses, SharedItemDto? Item, IReadOnlyList<WitnessDto>? Reflections, IReadOnlyList<ShareReadDto>? Reads);

/// <summary>Notices that a reflection is starting to give advice: openers like "you should" at the start of a sentence.</summary>
public static partial class WitnessCheck
{
    public static readonly IReadOnlyList<string> AdviceOpeners =
    [
        "you should", "you shouldn't", "you need to", "you have to", "you must", "you ought to", "you could try", "have you tried",
        "why don't you", "why didn't you", "why not", "if i were you", "try to", "just try", "you just need", "what you need is",
        "at least", "don't worry", "look on the bright side", "everything happens for a reason",
    ];

    public static bool LooksLikeAdvice(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        foreach (var sentence in Sentences().Split(text))
        {
            var s = Leading().Replace(sentence.ToLowerInvariant().Replace('’', '\''), "");
            if (AdviceOpeners.Any(o => s.StartsWith(o, StringComparison.Ordinal) && (s.Length == o.Length || !char.IsLetter(s[o.Length])))) return true;
        }
        return false;
    }

    [GeneratedRegex(@"(?<=[.!?\n])\s*")]
    private static partial Regex Sentences();

    /// <summary>Leading quotes, dashes and softeners ("maybe", "honestly") don't change what a sentence does.</summary>
    [GeneratedRegex(@"^[\s""'“‘(\-–—]*((maybe|perhaps|honestly|well|ok|okay|so|and|but|i think|i feel like)[,\s]+)*")]
    private static partial Regex Leading();
}

public sealed class Shares(AttuneDb db, PairKeys keys, Care.CareService care, EventHub hub, Privacy.AccessLog accessLog, Infrastructure.Push.Notices notices,
    Journal.Journal journal, Journey.PracticeSessions sessions, Journey.Practices practices, Assessments.CheckIns checkIns, Assessments.Instruments instruments,
    TimeProvider clock)
{
    public static readonly IReadOnlyList<string> ItemTypes = ["journal", "practice", "checkin"];
    public const int MaxReflection = 2000, MaxReflectionsPerShare = 50;

    /// <summary>The relationship a share travels through: a circle membership or a care relationship.</summary>
    private sealed record Link(Guid PairId, CircleMember? Member, Care.CareRelationship? Care);

    private async Task<byte[]> KeyAsync(Link link, string userId, CancellationToken ct) =>
        link.Member is { } m ? await keys.ForAsync(m, userId, ct) : await care.PairKeyAsync(link.Care!, userId, ct);

    private async Task<string> NameAsync(Link link, string viewerId, CancellationToken ct) =>
        link.Member is { } m ? await CircleService.OtherNameAsync(db, m, viewerId, ct) : (await care.DtoAsync(link.Care!, viewerId, ct)).OtherName;

    /// <summary>Links for these shares, in two queries, for those that may still be read: circle members who may see shared items, active care.</summary>
    private async Task<Dictionary<Guid, Link>> LinksAsync(IReadOnlyCollection<Share> rows, CancellationToken ct)
    {
        var memberIds = rows.Where(r => r.MemberId is not null).Select(r => r.MemberId!.Value).Distinct().ToList();
        var careIds = rows.Where(r => r.CareId is not null).Select(r => r.CareId!.Value).Distinct().ToList();
        var links = new Dictionary<Guid, Link>();
        if (memberIds.Count > 0)
            foreach (var m in await db.Set<CircleMember>().AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToListAsync(ct)) links[m.Id] = new Link(m.Id, m, null);
        if (careIds.Count > 0)
            foreach (var c in await db.Set<Care.CareRelationship>().AsNoTracking().Where(c => careIds.Contains(c.Id) && c.Status == Care.CareStatus.Active).ToListAsync(ct))
                links[c.Id] = new Link(c.Id, null, c);
        return links;
    }

    /// <summary>Whether the reader may read it now: a circle member set to see shared items, or a therapist while the care is active.</summary>
    private static bool Readable(Link? link) => link is { Member.CanSeeShared: true } or { Care: not null };

    public static string TypeLabel(string type) => type switch { "journal" => "Journal entry", "practice" => "Practice", "checkin" => "Check-in", _ => type };

    public async Task<(ShareDto? Share, bool Existing, FieldErrors? Errors)> CreateAsync(string ownerId, ShareInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        SharedItemDto? item = null;
        if (input.ItemType is null || !ItemTypes.Contains(input.ItemType)) errors.Add("itemType", "Please choose journal, practice or checkin.");
        else if (input.ItemId is not { } itemId || (item = await ItemAsync(ownerId, input.ItemType, itemId, ct)) is null) errors.Add("itemId", "There's no item of yours with this id.");
        var member = string.IsNullOrEmpty(input.WithUserId) ? null
            : await db.Set<CircleMember>().AsNoTracking().FirstOrDefaultAsync(m => m.OwnerId == ownerId && m.SupporterId == input.WithUserId, ct);
        var therapist = member is not null || string.IsNullOrEmpty(input.WithUserId) ? null
            : await db.Set<Care.CareRelationship>().AsNoTracking().FirstOrDefaultAsync(c => c.PersonId == ownerId && c.TherapistId == input.WithUserId && c.Status == Care.CareStatus.Active, ct);
        if (member is null && therapist is null) errors.Add("withUserId", "Please choose someone in your circle, or your therapist.");
        else if (member is { CanSeeShared: false }) errors.Add("withUserId", "This person isn't set to see what you share. You can change that on their page in your circle.");
        if (errors.Any) return (null, false, errors);

        var link = member is not null ? new Link(member.Id, member, null) : new Link(therapist!.Id, null, therapist);
        var existing = await db.Set<Share>().AsNoTracking()
            .FirstOrDefaultAsync(s => (member != null ? s.MemberId == link.PairId : s.CareId == link.PairId) && s.ItemType == input.ItemType && s.ItemId == input.ItemId, ct);
        var with = await NameAsync(link, ownerId, ct);
        if (existing is not null)
            return (Dto(existing, ownerId, item!.Title, with, await db.Set<WitnessReflection>().CountAsync(w => w.ShareId == existing.Id, ct), null, null, null), true, null);
        var share = new Share
        {
            Id = Infrastructure.SequentialGuid.Next(),
            MemberId = member?.Id,
            CareId = therapist?.Id,
            OwnerId = ownerId,
            WithUserId = member?.SupporterId ?? therapist!.TherapistId,
            ItemType = input.ItemType!,
            ItemId = input.ItemId!.Value,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(share);
        await db.SaveChangesAsync(ct);
        hub.Publish(share.WithUserId, "share.received", share.Id);
        notices.Send(new(share.WithUserId, member is not null ? "Someone in your circle shared something with you." : "Someone you work with shared something with you.", $"/shares/{share.Id}", Urgent: false));
        return (Dto(share, ownerId, item!.Title, with, 0, null, null, null), false, null);
    }

    /// <summary>Shares I made (owner) or that were made with me (reader), newest first.</summary>
    public async Task<List<ShareDto>> ListAsync(string userId, bool mine, CancellationToken ct = default)
    {
        var shares = await db.Set<Share>().AsNoTracking().Where(s => mine ? s.OwnerId == userId : s.WithUserId == userId)
            .OrderByDescending(s => s.CreatedAt).Take(200).ToListAsync(ct);
        var links = await LinksAsync(shares, ct);
        var rows = shares.Select(s => (s, link: links.GetValueOrDefault(s.MemberId ?? s.CareId!.Value))).Where(x => x.link is not null && (mine || Readable(x.link))).ToList();
        // One query for every share's reflection count, and one name per relationship.
        var ids = rows.Select(x => x.s.Id).ToList();
        var counts = await db.Set<WitnessReflection>().Where(w => ids.Contains(w.ShareId)).GroupBy(w => w.ShareId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var names = new Dictionary<Guid, string>();
        var list = new List<ShareDto>();
        foreach (var (s, link) in rows)
        {
            if (!names.TryGetValue(link!.PairId, out var name)) names[link.PairId] = name = await NameAsync(link, userId, ct);
            var item = await ItemAsync(s.OwnerId, s.ItemType, s.ItemId, ct);
            list.Add(Dto(s, userId, item?.Title, name, counts.GetValueOrDefault(s.Id), item: null, reflections: null, reads: null));
        }
        return list;
    }

    /// <summary>
    /// One share, for its owner or its reader (while they may see shared items); anyone else gets
    /// null. The reader's reading is written to the owner's access log and, the first time, told to
    /// the owner live.
    /// </summary>
    public async Task<ShareDto?> GetAsync(string userId, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (share, link)) return null;
        if (userId == share.WithUserId)
        {
            await accessLog.RecordAsync(share.OwnerId, userId, "read", share.ItemType, share.ItemId.ToString(), ct: ct);
            if (share.FirstReadAt is null)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var tracked = new Share { Id = share.Id };
                db.Attach(tracked);
                tracked.FirstReadAt = now;
                await db.SaveChangesAsync(ct);
                share.FirstReadAt = now;
                hub.Publish(share.OwnerId, "share.read", share.Id);
            }
        }
        else
        {
            // The owner has now seen every reflection so far: Today stops calling them new.
            var tracked = new Share { Id = share.Id };
            db.Attach(tracked);
            tracked.OwnerSeenAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return await FullAsync(share, link, userId, ct);
    }

    private async Task<(Share Share, Link Link)?> FindAsync(string userId, Guid id, CancellationToken ct)
    {
        var share = await db.Set<Share>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && (s.OwnerId == userId || s.WithUserId == userId), ct);
        if (share is null) return null;
        var link = (await LinksAsync([share], ct)).GetValueOrDefault(share.MemberId ?? share.CareId!.Value);
        if (link is null || (share.WithUserId == userId && !Readable(link))) return null;
        return (share, link);
    }

    public async Task<(WitnessDto? Witness, FieldErrors? Errors)> WitnessAsync(string userId, Guid id, WitnessInput input, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (share, link) || share.WithUserId != userId) return (null, null);
        var errors = new FieldErrors();
        var text = input.Text?.Trim();
        if (string.IsNullOrEmpty(text)) errors.Add("text", "Please write what you'd like to reflect back.");
        errors.MaxLength("text", text, MaxReflection);
        if (!errors.Any && await db.Set<WitnessReflection>().CountAsync(w => w.ShareId == id, ct) >= MaxReflectionsPerShare)
            errors.Add("text", $"This share has {MaxReflectionsPerShare} reflections already.");
        if (errors.Any) return (null, errors);
        var key = await KeyAsync(link, userId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var w = new WitnessReflection { Id = Infrastructure.SequentialGuid.Next(), ShareId = id, AuthorId = userId, CreatedAt = now };
        w.Text = Vault.SealWithPairKey(key, link.PairId, WitnessReflection.Table, w.Id.ToString(), "text", text!);
        db.Add(w);
        await db.SaveChangesAsync(ct);
        hub.Publish(share.OwnerId, "share.witnessed", share.Id);
        notices.Send(new(share.OwnerId, "Someone read what you shared and wrote back.", $"/shares/{share.Id}", Urgent: false));
        return (new WitnessDto(w.Id, "You", true, text!, new DateTimeOffset(now), WitnessCheck.LooksLikeAdvice(text)), null);
    }

    /// <summary>The owner takes it back: deleted, with its reflections; the next request for it answers 404.</summary>
    public async Task<bool> RevokeAsync(string ownerId, Guid id, CancellationToken ct = default)
    {
        var share = await db.Set<Share>().FirstOrDefaultAsync(s => s.Id == id && s.OwnerId == ownerId, ct);
        if (share is null) return false;
        db.Remove(share);
        await db.SaveChangesAsync(ct);
        hub.Publish(share.WithUserId, "share.revoked", share.Id);
        return true;
    }

    /// <summary>One share with its item, its reflections and (for the owner) its reads.</summary>
    private async Task<ShareDto> FullAsync(Share s, Link link, string viewerId, CancellationToken ct)
    {
        var item = await ItemAsync(s.OwnerId, s.ItemType, s.ItemId, ct, withImage: true);
        var with = await NameAsync(link, viewerId, ct);
        var reflections = new List<WitnessDto>();
        var rows = await db.Set<WitnessReflection>().AsNoTracking().Where(w => w.ShareId == s.Id).OrderBy(w => w.CreatedAt).ToListAsync(ct);
        if (rows.Count > 0)
        {
            var key = await KeyAsync(link, viewerId, ct);
            foreach (var w in rows)
                reflections.Add(new WitnessDto(w.Id, w.AuthorId == viewerId ? "You" : with, w.AuthorId == viewerId,
                    Vault.OpenWithPairKey(key, link.PairId, WitnessReflection.Table, w.Id.ToString(), "text", w.Text), new DateTimeOffset(w.CreatedAt)));
        }
        List<ShareReadDto>? reads = null;
        if (viewerId == s.OwnerId)
        {
            var itemId = s.ItemId.ToString();
            reads = await db.AccessLog.AsNoTracking().Where(e => e.OwnerId == s.OwnerId && e.ActorId == s.WithUserId && e.ItemId == itemId && e.ItemType == s.ItemType)
                .OrderByDescending(e => e.At).Take(50).Select(e => new ShareReadDto(new DateTimeOffset(e.At), with)).ToListAsync(ct);
        }
        return Dto(s, viewerId, item?.Title, with, rows.Count, item, reflections, reads);
    }

    private static ShareDto Dto(Share s, string viewerId, string? title, string with, int witnesses, SharedItemDto? item, List<WitnessDto>? reflections, List<ShareReadDto>? reads) =>
        new(s.Id, viewerId == s.OwnerId ? "owner" : "reader", s.ItemType, s.ItemId, title ?? "(no longer there)", s.WithUserId, with,
            new DateTimeOffset(s.CreatedAt), s.FirstReadAt is { } r ? new DateTimeOffset(r) : null, witnesses, item, reflections, reads);

    /// <summary>The item as it reads now (the owner may have edited it since sharing); null when it's gone or isn't the owner's.</summary>
    public async Task<SharedItemDto?> ItemAsync(string ownerId, string type, Guid id, CancellationToken ct, bool withImage = false)
    {
        switch (type)
        {
            case "journal":
                if (await journal.GetAsync(ownerId, id, ct) is not { } e) return null;
                var lines = Journal.JournalExport.Lines(e, TimeZoneInfo.Utc).Skip(1).Where(l => l.Kind != Journal.JournalExport.LineKind.Image)
                    .Select(l => new SharedLine(l.Kind.ToString().ToLowerInvariant(), l.Text)).ToList();
                string? image = null;
                if (withImage && e.Image is not null && await journal.ImageAsync(ownerId, id, ct) is { } img)
                    image = $"data:{img.ContentType};base64,{Convert.ToBase64String(img.Bytes)}";
                return new SharedItemDto(type, id, Journal.JournalExport.Heading(e), lines, image);
            case "practice":
                if (await sessions.GetAsync(ownerId, id, ct) is not { } session) return null;
                var practice = practices.Find(session.Practice);
                var p = new List<SharedLine>
                {
                    new("meta", $"Distress before: {session.SudsBefore}/10" + (session.SudsAfter is { } after ? $" · after: {after}/10" : "")),
                };
                foreach (var step in practice?.Steps ?? [])
                {
                    if (!session.Answers.TryGetValue(step.Id, out var answer) || string.IsNullOrWhiteSpace(answer)) continue;
                    p.Add(new SharedLine("heading", step.Prompt ?? step.Text));
                    p.Add(new SharedLine("text", answer));
                }
                return new SharedItemDto(type, id, practice?.Title ?? session.Practice, p, null);
            case "checkin":
                if (await checkIns.FindAsync(ownerId, id, withAnswers: false, ct) is not { } c) return null;
                var instrument = instruments.Find(c.Instrument);
                var when = c.TakenAt.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
                var ci = new List<SharedLine> { new("meta", $"Taken {when}"), new("text", $"Score {c.Total} of {c.MaxTotal}" + (c.Band is null ? "" : $" — {c.Band}")) };
                if (c.Meaning is not null) ci.Add(new SharedLine("text", c.Meaning));
                foreach (var (code, score) in c.Subscales)
                    ci.Add(new SharedLine("text", $"{instrument?.Patterns?.FirstOrDefault(x => x.Code == code)?.Name ?? code}: {score}"));
                if (instrument is not null) ci.Add(new SharedLine("meta", instrument.Attribution));
                return new SharedItemDto(type, id, instrument?.Title ?? c.Instrument, ci, null);
            default:
                return null;
        }
    }
}
