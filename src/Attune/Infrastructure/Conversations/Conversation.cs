using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Web;
using Attune.Infrastructure.Live;

namespace Attune.Infrastructure.Conversations;

/// <summary>
/// One conversation as one of its holders reads or writes it: messages sealed under a shared key
/// (each bound to its table, row and the "body" field), shown as <see cref="MessageDto"/> through
/// the <c>_Messages</c> partial, and announced live to every holder as one event shape:
/// <c>{kind}.message</c> (and <c>{kind}.ended</c>) carrying the conversation's id, never its words.
/// Whoever receives the event fetches the conversation through its own checked route.
/// </summary>
/// <param name="kind">Names the events: <c>thread</c> (circle), <c>care</c>.</param>
/// <param name="table">The message table's name in sealed values' associated data.</param>
/// <param name="id">The conversation's id, as the events carry it.</param>
/// <param name="key">The shared key as the reader or writer holds it.</param>
/// <param name="holders">Everyone in the conversation: the events go to each.</param>
public sealed class Conversation(string kind, string table, Guid id, SharedKey key, IReadOnlyCollection<string> holders)
{
    public const string BodyField = "body";

    public Guid Id => id;

    public IReadOnlyCollection<string> Holders => holders;

    public string MessageEvent => MessageEventOf(kind);

    public static string MessageEventOf(string kind) => kind + ".message";

    public static string EndedEventOf(string kind) => kind + ".ended";

    /// <summary>The message's text, trimmed; a 400 problem naming <c>text</c> when it is empty or longer than <paramref name="maxLength"/>.</summary>
    public static string? Validate(MessageInput input, int maxLength, FieldErrors errors)
    {
        var text = input.Text?.Trim();
        if (string.IsNullOrEmpty(text)) errors.Add("text", "Please write something to send.");
        errors.MaxLength("text", text, maxLength);
        return text;
    }

    /// <summary>The messages as <paramref name="readerId"/> reads them; <paramref name="nameOf"/> names the other authors.</summary>
    public List<MessageDto> Read(IEnumerable<ISealedMessage> rows, string readerId, Func<string, string> nameOf) =>
        rows.Select(m => new MessageDto(m.Id, m.AuthorId == readerId, m.AuthorId == readerId ? "You" : nameOf(m.AuthorId),
            key.Open(table, m.Id.ToString(), BodyField, m.Body), new DateTimeOffset(m.CreatedAt))).ToList();

    /// <summary>Seals <paramref name="text"/> into a new message (its id and author already set) and returns it as its author sees it.</summary>
    public MessageDto Write(ISealedMessage message, string text)
    {
        message.Body = key.Seal(table, message.Id.ToString(), BodyField, text);
        return new MessageDto(message.Id, true, "You", text, new DateTimeOffset(message.CreatedAt));
    }

    /// <summary>Tells every holder's open pages that there is something new (after the message is saved).</summary>
    public void Announce(EventHub hub)
    {
        foreach (var holder in holders) hub.Publish(holder, MessageEvent, id);
    }

    /// <summary>Tells every holder's open pages that the conversation has gone (no key needed: nothing is read).</summary>
    public static void AnnounceEnded(EventHub hub, string kind, Guid id, IEnumerable<string> holders)
    {
        foreach (var holder in holders) hub.Publish(holder, EndedEventOf(kind), id);
    }
}
