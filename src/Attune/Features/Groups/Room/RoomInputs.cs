using System.Collections.Immutable;
using Attune.Infrastructure.Web;
using static Attune.Features.Groups.Room.RoomCommand;

namespace Attune.Features.Groups.Room;

/// <summary>A room event's text, checked and waiting to be sealed once the engine accepts the event.</summary>
public sealed record RoomText(string Text, TextVerdict Verdict);

/// <summary>
/// Turns a <see cref="RoomEventInput"/> into a command for the engine: the type, the fields it
/// needs, limits on text, and member ids turned into the user ids the engine works in. Bad input
/// is a 400 naming the field; nothing is checked against the room's state here.
/// </summary>
public static class RoomInputs
{
    public const int MaxPost = 2000, MaxReflection = 280, MaxWord = 40, MaxReason = 500, MaxPrompt = 300;

    public static readonly ImmutableArray<string> Types =
    [
        "open", "checkIn", "startRound", "post", "pass", "done", "witness", "moment", "stepOut", "return", "withdraw", "removePost",
        "mute", "unmute", "remove", "take", "skip", "reorder", "pause", "resume", "seen", "startCheckOut", "checkOut", "close",
    ];

    /// <summary>What the service needs beside the command: text to seal (post, reflection, word, prompt) and a reason.</summary>
    public sealed record Parsed(RoomCommand Command, RoomText? Text, string? Prompt, string? Reason);

    /// <param name="userIdOf">A member id to that member's user id, or null when they aren't an active member.</param>
    /// <param name="promptExists">Whether a content prompt has that id.</param>
    public static (Parsed? Parsed, FieldErrors? Errors, bool AdviceLike) Parse(RoomEventInput input, Func<Guid, string?> userIdOf,
        Func<string, bool> promptExists, IRoomTextCheck check, Guid newPostId)
    {
        var errors = new FieldErrors();
        var v = input.ExpectedVersion ?? -1;
        if (string.IsNullOrEmpty(input.Type) || !Types.Contains(input.Type))
            return (null, errors.Add("type", "Please send one of the room's event types (API.md, Groups)."), false);
        RoomText? text = null;
        string? prompt = null, reason = null;
        var adviceLike = false;
        RoomCommand? command = null;
        switch (input.Type)
        {
            case "open": command = new Open(v); break;
            case "checkIn":
            case "checkOut":
                {
                    errors.Range("suds", input.Suds, 0, 10);
                    var word = input.Pass == true ? null : Clean(input.Word);
                    errors.MaxLength("word", word, MaxWord).PlainText("word", word);
                    if (word is not null) text = new RoomText(word, check.Check(word, isWitness: false));
                    var crisis = text?.Verdict.Crisis == true;
                    command = input.Type == "checkIn" ? new CheckIn(v, input.Suds, word is null, crisis) : new CheckOut(v, input.Suds, word is null, crisis);
                    break;
                }
            case "startRound":
                {
                    prompt = Clean(input.Prompt);
                    errors.MaxLength("prompt", prompt, MaxPrompt).PlainText("prompt", prompt);
                    var promptId = Clean(input.PromptId);
                    if (promptId is not null && !promptExists(promptId)) errors.Add("promptId", "That prompt isn't one Attune knows.");
                    var order = input.Order is null ? null : Users(input.Order, userIdOf, errors);
                    command = new StartRound(v, promptId, prompt is not null, input.Random == true, order);
                    break;
                }
            case "post":
                {
                    var body = Clean(input.Text);
                    if (body is null) errors.Add("text", "Please write something to share, or pass the piece on.");
                    errors.MaxLength("text", body, MaxPost).PlainText("text", body, multiline: true);
                    if (body is not null) text = new RoomText(body, check.Check(body, isWitness: false));
                    command = new Post(v, newPostId, text?.Verdict.Crisis == true);
                    break;
                }
            case "pass": command = new Pass(v); break;
            case "done": command = new Done(v); break;
            case "witness":
                {
                    var reflection = Clean(input.Text);
                    var kind = input.Kind ?? (reflection is not null ? "text" : null);
                    if (kind is null) errors.Add("kind", "Please choose thanks, hear, metoo or heart, or write a few words.");
                    if (kind == "text")
                    {
                        if (reflection is null) errors.Add("text", "Please write a few words, or choose one of the replies.");
                        errors.MaxLength("text", reflection, MaxReflection).PlainText("text", reflection, multiline: true);
                        if (reflection is not null)
                        {
                            text = new RoomText(reflection, check.Check(reflection, isWitness: true));
                            if (GroupWitness.MustAsk(text.Verdict.AdviceLike, input.SendAnyway) && !errors.Any)
                            {
                                errors.Add("text", AdviceQuestion);
                                adviceLike = true;
                            }
                        }
                    }
                    if (input.PostId is not { } postId) errors.Add("postId", "Please say which post you're witnessing.");
                    else if (kind is not null) command = new Witness(v, postId, kind, kind == "text" && text?.Verdict.Crisis == true);
                    break;
                }
            case "moment": command = new Moment(v); break;
            case "stepOut": command = new StepOut(v); break;
            case "return": command = new Back(v); break;
            case "withdraw":
            case "removePost":
                if (input.PostId is not { } id) errors.Add("postId", "Please say which post.");
                else command = input.Type == "withdraw" ? new Withdraw(v, id) : new RemovePost(v, id);
                break;
            case "mute":
            case "unmute":
            case "seen":
            case "remove":
                {
                    var user = input.MemberId is { } m ? userIdOf(m) : null;
                    if (user is null) errors.Add("memberId", "Please choose someone who is a member of this group now.");
                    if (input.Type == "remove")
                    {
                        reason = Clean(input.Reason);
                        errors.MaxLength("reason", reason, MaxReason).PlainText("reason", reason, multiline: true);
                    }
                    if (user is not null)
                        command = input.Type switch
                        {
                            "mute" => new Mute(v, user),
                            "unmute" => new Unmute(v, user),
                            "seen" => new Seen(v, user),
                            _ => new Remove(v, user),
                        };
                    break;
                }
            case "take": command = new Take(v); break;
            case "skip": command = new Skip(v); break;
            case "reorder":
                {
                    if (input.Order is null) errors.Add("order", "Please give the new order as a list of member ids.");
                    var order = input.Order is null ? null : Users(input.Order, userIdOf, errors);
                    if (order is not null) command = new Reorder(v, order);
                    break;
                }
            case "pause": command = new Pause(v); break;
            case "resume": command = new Unpause(v); break;
            case "startCheckOut": command = new StartCheckOut(v); break;
            case "close": command = new Close(v); break;
        }
        if (errors.Any || command is null) return (null, errors.Any ? errors : errors.Add("type", "That event can't be read."), adviceLike);
        return (new Parsed(command, text, prompt, reason), null, false);
    }

    /// <summary>The same gentle question the share page asks when a reflection sounds like advice.</summary>
    public const string AdviceQuestion = GroupWitness.AdviceQuestion;

    private static ImmutableList<string>? Users(List<Guid> memberIds, Func<Guid, string?> userIdOf, FieldErrors errors)
    {
        var users = memberIds.Select(userIdOf).ToList();
        if (users.Any(u => u is null))
        {
            errors.Add("order", "The order can only hold members of the group.");
            return null;
        }
        return [.. users.Select(u => u!)];
    }

    private static string? Clean(string? value)
    {
        var t = value?.Trim();
        return string.IsNullOrEmpty(t) ? null : t;
    }
}
