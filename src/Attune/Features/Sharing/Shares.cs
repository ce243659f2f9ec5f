using System.Security.Cryptography;
using Attune.Data;
using Attune.Features.Privacy;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Sharing;

/// <summary>
/// Sharing one item with one person (or one group), reading it, reflecting back on it, and taking
/// it back. What can be shared comes from the registered <see cref="IShareableItems"/>; whom it goes
/// to, and under which key reflections are sealed, from the registered <see cref="IShareChannel"/>s.
/// </summary>
/// <remarks>
/// A share has one reader unless its channel says otherwise (<see cref="IShareLink.Readers"/>): then
/// every reader but the owner reads it, each read is logged separately, and each reflection is named
/// by its author as the viewer knows them.
/// </remarks>
public sealed class Shares(AttuneDb db, IEnumerable<IShareableItems> items, IEnumerable<IShareChannel> channels, ShareNews news, AccessLog accessLog, TimeProvider clock)
{
    public const int MaxReflection = 2000, MaxReflectionsPerShare = 50;

    private readonly Dictionary<string, IShareableItems> _items = items.ToDictionary(i => i.Type);
    private readonly IReadOnlyList<IShareChannel> _channels = [.. channels];

    /// <summary>What people read for an item type, e.g. "Journal entry".</summary>
    public string Label(string type) => _items.TryGetValue(type, out var i) ? i.Label : type;

    /// <summary>Whom the owner may share with, channel by channel.</summary>
    public async Task<List<ShareRecipient>> RecipientsAsync(string ownerId, CancellationToken ct = default)
    {
        var people = new List<ShareRecipient>();
        foreach (var channel in _channels) people.AddRange(await channel.RecipientsAsync(ownerId, ct));
        return people;
    }

    /// <summary>"journal, practice or checkin": the item types, for a message.</summary>
    private string Choices()
    {
        var types = _items.Keys.Order(StringComparer.Ordinal).ToList();
        return types.Count <= 1 ? string.Concat(types) : string.Join(", ", types.Take(types.Count - 1)) + " or " + types[^1];
    }

    public async Task<(ShareDto? Share, bool Existing, FieldErrors? Errors)> CreateAsync(string ownerId, ShareInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        SharedItemDto? item = null;
        if (input.ItemType is null || !_items.ContainsKey(input.ItemType)) errors.Add("itemType", $"Please choose {Choices()}.");
        else if (input.ItemId is not { } itemId || (item = await ItemAsync(ownerId, input.ItemType, itemId, ct)) is null) errors.Add("itemId", "There's no item of yours with this id.");
        IShareChannel? channel = null;
        IShareLink? link = null;
        if (!string.IsNullOrEmpty(input.WithUserId))
            foreach (var c in _channels)
                if ((link = await c.FindAsync(ownerId, input.WithUserId, ct)) is not null)
                {
                    channel = c;
                    break;
                }
        if (link is null) errors.Add("withUserId", "Please choose someone in your circle, your therapist, or a group you're in.");
        else if (link.Closed is { } why) errors.Add("withUserId", why);
        if (errors.Any) return (null, false, errors);

        var property = channel!.LinkProperty;
        var existing = await db.Set<Share>().AsNoTracking()
            .FirstOrDefaultAsync(s => EF.Property<Guid?>(s, property) == link!.Id && s.ItemType == input.ItemType && s.ItemId == input.ItemId, ct);
        var with = await link!.NameAsync(ownerId, ct);
        if (existing is not null)
            return (Dto(existing, ownerId, item!.Title, with, await db.Set<WitnessReflection>().CountAsync(w => w.ShareId == existing.Id, ct), null, null, null), true, null);
        var share = new Share
        {
            Id = Infrastructure.SequentialGuid.Next(),
            OwnerId = ownerId,
            WithUserId = link.ReaderId,
            ItemType = input.ItemType!,
            ItemId = input.ItemId!.Value,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(share);
        db.Entry(share).Property(property).CurrentValue = link.Id;
        await db.SaveChangesAsync(ct);
        news.Received(share, channel, link.Readers);
        return (Dto(share, ownerId, item!.Title, with, 0, null, null, null), false, null);
    }

    /// <summary>Shares I made (owner) or that were made with me (reader), newest first.</summary>
    public async Task<List<ShareDto>> ListAsync(string userId, bool mine, CancellationToken ct = default)
    {
        // Tracked, so that each share's channel column (a shadow property) can be read.
        var shares = await db.Set<Share>().AsTracking().Where(s => mine ? s.OwnerId == userId : s.WithUserId == userId)
            .OrderByDescending(s => s.CreatedAt).Take(200).ToListAsync(ct);
        if (!mine)
        {
            // Shares with many readers carry the channel's name for them, not mine: found by the relationships I read through.
            foreach (var c in _channels)
            {
                var links = (await c.LinksReadByAsync(userId, ct)).Select(id => (Guid?)id).ToList();
                if (links.Count == 0) continue;
                var property = c.LinkProperty;
                shares.AddRange(await db.Set<Share>().AsTracking().Where(s => s.OwnerId != userId && links.Contains(EF.Property<Guid?>(s, property)))
                    .OrderByDescending(s => s.CreatedAt).Take(200).ToListAsync(ct));
            }
            shares = [.. shares.DistinctBy(s => s.Id).OrderByDescending(s => s.CreatedAt).Take(200)];
        }
        var rows = (await LinkedAsync(shares, ct)).Where(x => mine || (x.Link.Closed is null && x.Link.Readers.Contains(userId))).ToList();
        // One query for every share's reflection count, and one name per relationship.
        var ids = rows.Select(x => x.Share.Id).ToList();
        var counts = await db.Set<WitnessReflection>().Where(w => ids.Contains(w.ShareId)).GroupBy(w => w.ShareId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var names = new Dictionary<(IShareLink, string), string>();
        var list = new List<ShareDto>();
        foreach (var (s, link) in rows)
        {
            if (!names.TryGetValue((link, s.OwnerId), out var name)) names[(link, s.OwnerId)] = name = await WithAsync(s, link, userId, ct);
            var item = await ItemAsync(s.OwnerId, s.ItemType, s.ItemId, ct);
            list.Add(Dto(s, userId, item?.Title, name, counts.GetValueOrDefault(s.Id), item: null, reflections: null, reads: null));
        }
        return list;
    }

    /// <summary>The names of the people one of my items is shared with now (a result page says who can read it).</summary>
    public async Task<List<string>> SharedWithAsync(string ownerId, string itemType, Guid itemId, CancellationToken ct = default)
    {
        var shares = await db.Set<Share>().AsTracking().Where(s => s.OwnerId == ownerId && s.ItemType == itemType && s.ItemId == itemId)
            .OrderBy(s => s.CreatedAt).ToListAsync(ct);
        var names = new List<string>();
        foreach (var (_, link) in await LinkedAsync(shares, ct)) names.Add(await link.NameAsync(ownerId, ct));
        return names;
    }

    /// <summary>
    /// Each share with the relationship it travels through, in one query per channel in use; a share
    /// whose relationship has ended (or may no longer carry shares) is left out.
    /// </summary>
    private async Task<List<(Share Share, IShareLink Link)>> LinkedAsync(IReadOnlyList<Share> shares, CancellationToken ct)
    {
        var through = new List<(Share Share, IShareChannel Channel, Guid LinkId)>();
        foreach (var s in shares)
        {
            var entry = db.Entry(s);
            foreach (var c in _channels)
                if (entry.Property(c.LinkProperty).CurrentValue is Guid linkId)
                {
                    through.Add((s, c, linkId));
                    break;
                }
        }
        var links = new Dictionary<IShareChannel, IReadOnlyDictionary<Guid, IShareLink>>();
        foreach (var group in through.GroupBy(x => x.Channel))
            links[group.Key] = await group.Key.LinksAsync(group.Select(x => x.LinkId).Distinct().ToList(), ct);
        var linked = new List<(Share, IShareLink)>();
        foreach (var (s, c, linkId) in through)
            if (links[c].TryGetValue(linkId, out var link)) linked.Add((s, link));
        return linked;
    }

    /// <summary>
    /// One share, for its owner or one of its readers (while they may see shared items); anyone else
    /// gets null. Each reader's reading is written to the owner's access log and, the first time
    /// anyone reads it, told to the owner live.
    /// </summary>
    public async Task<ShareDto?> GetAsync(string userId, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (share, link)) return null;
        if (userId != share.OwnerId)
        {
            // A share with many readers (a group) names them as that relationship does, so the log says where the read came through.
            await accessLog.RecordAsync(share.OwnerId, userId, "read", share.ItemType, share.ItemId.ToString(), via: link.ReaderId == userId ? null : link.ReaderId, ct: ct);
            if (share.FirstReadAt is null)
            {
                share.FirstReadAt = clock.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(ct);
                news.Read(share);
            }
        }
        else
        {
            // The owner has now seen every reflection so far: Today stops calling them new.
            share.OwnerSeenAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return await FullAsync(share, link, userId, ct);
    }

    private async Task<(Share Share, IShareLink Link)?> FindAsync(string userId, Guid id, CancellationToken ct)
    {
        var share = await db.Set<Share>().AsTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (share is null) return null;
        if ((await LinkedAsync([share], ct)) is not [var (_, link)]) return null;
        if (share.OwnerId != userId && (link.Closed is not null || !link.Readers.Contains(userId))) return null;
        return (share, link);
    }

    public async Task<(WitnessDto? Witness, FieldErrors? Errors)> WitnessAsync(string userId, Guid id, WitnessInput input, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (share, link) || share.OwnerId == userId) return (null, null);
        var errors = new FieldErrors();
        var text = input.Text?.Trim();
        if (string.IsNullOrEmpty(text)) errors.Add("text", "Please write what you'd like to reflect back.");
        errors.MaxLength("text", text, MaxReflection);
        if (!errors.Any && await db.Set<WitnessReflection>().CountAsync(w => w.ShareId == id, ct) >= MaxReflectionsPerShare)
            errors.Add("text", $"This share has {MaxReflectionsPerShare} reflections already.");
        if (errors.Any) return (null, errors);
        var key = await link.KeyAsync(userId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var w = new WitnessReflection { Id = Infrastructure.SequentialGuid.Next(), ShareId = id, AuthorId = userId, CreatedAt = now };
        w.Text = key.Seal(WitnessReflection.Table, w.Id.ToString(), "text", text!);
        db.Add(w);
        await db.SaveChangesAsync(ct);
        news.Witnessed(share);
        return (new WitnessDto(w.Id, "You", true, text!, new DateTimeOffset(now), WitnessCheck.LooksLikeAdvice(text)), null);
    }

    /// <summary>The owner takes it back: deleted, with its reflections; the next request for it answers 404.</summary>
    public async Task<bool> RevokeAsync(string ownerId, Guid id, CancellationToken ct = default)
    {
        var share = await db.Set<Share>().AsTracking().FirstOrDefaultAsync(s => s.Id == id && s.OwnerId == ownerId, ct);
        if (share is null) return false;
        var readers = (await LinkedAsync([share], ct)) is [var (_, link)] ? link.Readers : [share.WithUserId];
        db.Remove(share);
        await db.SaveChangesAsync(ct);
        news.Revoked(share, readers);
        return true;
    }

    /// <summary>One share with its item, its reflections and (for the owner) its reads.</summary>
    private async Task<ShareDto> FullAsync(Share s, IShareLink link, string viewerId, CancellationToken ct)
    {
        var item = await ItemAsync(s.OwnerId, s.ItemType, s.ItemId, ct, withImage: true);
        var with = await WithAsync(s, link, viewerId, ct);
        var names = new Dictionary<string, string>();
        async Task<string> NameOf(string personId) =>
            names.TryGetValue(personId, out var name) ? name : names[personId] = await link.NameOfAsync(personId, viewerId, ct);
        var reflections = new List<WitnessDto>();
        var rows = await db.Set<WitnessReflection>().AsNoTracking().Where(w => w.ShareId == s.Id).OrderBy(w => w.CreatedAt).ToListAsync(ct);
        if (rows.Count > 0)
        {
            var key = await link.KeyAsync(viewerId, ct);
            foreach (var w in rows)
            {
                string text;
                // Written under a key epoch the viewer doesn't hold (before they joined a group): not theirs to read.
                try { text = key.Open(WitnessReflection.Table, w.Id.ToString(), "text", w.Text); }
                catch (CryptographicException) { continue; }
                reflections.Add(new WitnessDto(w.Id, w.AuthorId == viewerId ? "You" : await NameOf(w.AuthorId), w.AuthorId == viewerId, text, new DateTimeOffset(w.CreatedAt)));
            }
        }
        List<ShareReadDto>? reads = null;
        if (viewerId == s.OwnerId)
        {
            var itemId = s.ItemId.ToString();
            var readers = link.Readers.Where(r => r != s.OwnerId).ToList();
            var entries = await db.Set<AccessLogEntry>().AsNoTracking().Where(e => e.OwnerId == s.OwnerId && readers.Contains(e.ActorId) && e.ItemId == itemId && e.ItemType == s.ItemType)
                .OrderByDescending(e => e.At).Take(50).Select(e => new { e.At, e.ActorId }).ToListAsync(ct);
            reads = [];
            foreach (var e in entries) reads.Add(new ShareReadDto(new DateTimeOffset(e.At), await NameOf(e.ActorId)));
        }
        return Dto(s, viewerId, item?.Title, with, reflections.Count, item, reflections, reads);
    }

    /// <summary>Whom a share is with, as the viewer knows them: the reader(s) for its owner; its owner for a reader.</summary>
    private static Task<string> WithAsync(Share s, IShareLink link, string viewerId, CancellationToken ct) =>
        viewerId == s.OwnerId ? link.NameAsync(viewerId, ct) : link.NameOfAsync(s.OwnerId, viewerId, ct);

    private static ShareDto Dto(Share s, string viewerId, string? title, string with, int witnesses, SharedItemDto? item, List<WitnessDto>? reflections, List<ShareReadDto>? reads) =>
        new(s.Id, viewerId == s.OwnerId ? "owner" : "reader", s.ItemType, s.ItemId, title ?? "(no longer there)", s.WithUserId, with,
            new DateTimeOffset(s.CreatedAt), s.FirstReadAt is { } r ? new DateTimeOffset(r) : null, witnesses, item, reflections, reads);

    /// <summary>The item as it reads now (the owner may have edited it since sharing); null when it's gone, isn't the owner's, or isn't a kind that can be shared.</summary>
    public async Task<SharedItemDto?> ItemAsync(string ownerId, string type, Guid id, CancellationToken ct, bool withImage = false) =>
        _items.TryGetValue(type, out var items) ? await items.ReadAsync(ownerId, id, withImage, ct) : null;
}
