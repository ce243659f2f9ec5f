using System.Security.Cryptography;
using Attune.Data;
using Attune.Infrastructure.Conversations;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Push;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>A private word as one of its two people reads it: with whom, as whom, and the messages.</summary>
public sealed record PrivateWordDto(Guid GroupId, Guid MemberId, string GroupTitle, string With, string Role, IReadOnlyList<MessageDto> Messages);

/// <summary>
/// The private word between a group's facilitator and one active member: a <see cref="Conversation"/>
/// sealed under a pair key kept on the member's row (one copy each, made on first use), live over the
/// event stream as <c>groupword.message</c>. Nobody else in the group can read or add to it, and it
/// goes with the member's row when they leave or are removed. Each side sees the other by the name the
/// group knows them by, never an email or account name.
/// </summary>
public sealed class PrivateWords(AttuneDb db, SharedKeys keys, WriteGate gate, EventHub hub, Notices notices, TimeProvider clock)
{
    public const string Kind = "groupword";
    public const int MaxText = 2000, MaxMessages = 1000;

    /// <summary>The field a member's group name is sealed under (the group's key, row = member id).</summary>
    public const string NameField = "groupName";

    private sealed record Pair(Group Group, GroupMember Member, string Role);

    /// <summary>The facilitator and that member, in an active membership; anyone else gets null (404).</summary>
    private async Task<Pair?> FindAsync(string userId, Guid groupId, Guid memberId, CancellationToken ct)
    {
        var member = await db.Set<GroupMember>().AsNoTracking().Where(GroupMember.ActiveIn(groupId)).FirstOrDefaultAsync(m => m.Id == memberId, ct);
        if (member is null) return null;
        var group = await db.Set<Group>().AsNoTracking().FirstAsync(g => g.Id == groupId, ct);
        if (group.FacilitatorId == userId) return new(group, member, "facilitator");
        return member.UserId == userId ? new(group, member, "member") : null;
    }

    private async Task<Conversation> ConversationAsync(Pair p, string userId, CancellationToken ct)
    {
        var m = p.Member;
        if (m.PairKeyFacilitator is null || m.PairKeyMember is null)
        {
            var (_, forFacilitator, forMember) = await keys.NewPairAsync(GroupMember.Table, m.Id, p.Group.FacilitatorId, m.UserId, ct);
            using (await gate.EnterAsync(ct))
            {
                // Only if nobody made one meanwhile; otherwise use theirs.
                await db.Set<GroupMember>().Where(x => x.Id == m.Id && x.PairKeyFacilitator == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.PairKeyFacilitator, forFacilitator).SetProperty(x => x.PairKeyMember, forMember), ct);
            }
            var row = await db.Set<GroupMember>().AsNoTracking().FirstAsync(x => x.Id == m.Id, ct);
            m.PairKeyFacilitator = row.PairKeyFacilitator;
            m.PairKeyMember = row.PairKeyMember;
        }
        var key = await keys.OpenPairAsync(GroupMember.Table, m.Id, userId, p.Role == "facilitator" ? m.PairKeyFacilitator! : m.PairKeyMember!, ct);
        return new Conversation(Kind, GroupMessage.Table, m.Id, key, [p.Group.FacilitatorId, m.UserId]);
    }

    /// <summary>How the other person appears: the facilitator by the name they gave the group, a member by their group name.</summary>
    private async Task<string> OtherNameAsync(Pair p, string userId, CancellationToken ct)
    {
        if (p.Role == "member") return p.Group.FacilitatorName;
        const string Unnamed = "A member of your group";
        if (p.Member.GroupName is null || await keys.OpenAsync(p.Group.Id, userId, ct) is not { } groupKey) return Unnamed;
        try
        {
            return groupKey.Open(GroupMember.Table, p.Member.Id.ToString(), NameField, p.Member.GroupName);
        }
        catch (CryptographicException)
        {
            return Unnamed;
        }
    }

    public async Task<PrivateWordDto?> GetAsync(string userId, Guid groupId, Guid memberId, CancellationToken ct = default)
    {
        if (await FindAsync(userId, groupId, memberId, ct) is not { } p) return null;
        var conversation = await ConversationAsync(p, userId, ct);
        var other = await OtherNameAsync(p, userId, ct);
        var rows = await db.Set<GroupMessage>().AsNoTracking().Where(m => m.MemberRowId == memberId).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        return new PrivateWordDto(groupId, memberId, p.Group.Title, other, p.Role, conversation.Read(rows, userId, _ => other));
    }

    public async Task<(MessageDto? Message, FieldErrors? Errors)> PostAsync(string userId, Guid groupId, Guid memberId, MessageInput input, CancellationToken ct = default)
    {
        if (await FindAsync(userId, groupId, memberId, ct) is not { } p) return (null, null);
        var errors = new FieldErrors();
        var text = Conversation.Validate(input, MaxText, errors);
        errors.PlainText("text", text, multiline: true);
        if (!errors.Any && await db.Set<GroupMessage>().CountAsync(m => m.MemberRowId == memberId, ct) >= MaxMessages)
            errors.Add("text", $"This conversation has reached {MaxMessages} messages.");
        if (errors.Any) return (null, errors);
        var conversation = await ConversationAsync(p, userId, ct);
        var message = new GroupMessage { Id = Infrastructure.SequentialGuid.Next(), MemberRowId = memberId, AuthorId = userId, CreatedAt = clock.GetUtcNow().UtcDateTime };
        var written = conversation.Write(message, text!);
        db.Add(message);
        await db.SaveChangesAsync(ct);
        conversation.Announce(hub);
        // A notice that says only "a message", when their page isn't open.
        var other = p.Role == "facilitator" ? p.Member.UserId : p.Group.FacilitatorId;
        if (!hub.IsConnected(other)) notices.Send(new(other, "There is a new message for you.", PageOf(groupId, memberId), Urgent: false));
        return (written, null);
    }

    public static string PageOf(Guid groupId, Guid memberId) => $"/groups/{groupId}/members/{memberId}/messages";
}
