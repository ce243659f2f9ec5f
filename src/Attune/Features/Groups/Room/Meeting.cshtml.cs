using Attune.Data;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>What the person sees of the safety panel: the answer for them, whether words suggested crisis, and who was let know.</summary>
/// <c>OnBoard</c>: after words on the group's board rather than in the room.
public sealed record RoomSafetyView(RoomSafetyDto Safety, bool Crisis, string? Told, bool OnBoard = false);

/// <summary>A fixed witness reply: what it sends, its words on the button, and its name for a screen reader.</summary>
public sealed record WitnessReply(string Kind, string Label, string Name, Func<RoomWitnessCounts, int> Count);

/// <summary>
/// The live room of one meeting, for the facilitator and the group's members (anyone else gets 404).
/// Every action is a plain form posting one room event with the version the page was showing; the
/// page script posts the same forms in place and swaps in fresh copies when live news arrives.
/// </summary>
public sealed class MeetingModel(RoomService rooms, RoomPrompts prompts, IRoomTextCheck safety, TakeWithMe journal, AttuneDb db) : SignedInPageModel
{
    public const int MaxPost = RoomInputs.MaxPost, MaxReflection = RoomInputs.MaxReflection, MaxWord = RoomInputs.MaxWord, MaxPrompt = RoomInputs.MaxPrompt, MaxReason = RoomInputs.MaxReason;

    /// <summary>A distress number this high on arriving, or this much higher on leaving, brings grounding and the reach offer.</summary>
    public const int HardArrival = 7, HardRise = 3;

    public static readonly IReadOnlyList<WitnessReply> Replies =
    [
        new("thanks", "Thank you for sharing", "Thank you for sharing", w => w.Thanks),
        new("hear", "I hear you", "I hear you", w => w.Hear),
        new("metoo", "Me too", "Me too", w => w.Metoo),
        new("heart", "♥", "Send a heart", w => w.Heart),
    ];

    private const string SafetyFlag = "groups.room.safety";

    public RoomStateDto Room { get; private set; } = null!;
    public string GroupTitle { get; private set; } = "";
    public string FacilitatorName { get; private set; } = "";
    public int MeetingNumber { get; private set; }
    public IReadOnlyList<RoomPrompt> PromptChoices { get; private set; } = [];
    public RoomSafetyView? Safety { get; private set; }
    public string? Notice { get; private set; }
    public Guid? AdviceFor { get; private set; }
    public string? AdviceQuestion { get; private set; }
    public string? ReflectionText { get; private set; }
    public string? ComposerText { get; private set; }

    public string PageUrl => $"/groups/{Room.GroupId}/meetings/{Room.MeetingId}";
    public string PartUrl => PageUrl + "?handler=Part";
    public string EventUrl => PageUrl + "?handler=Event";

    /// <summary>Grounding, told where to bring the person back to: it says their place in the room is kept.</summary>
    public string GroundingUrl => $"/grounding?room={Room.GroupId}/{Room.MeetingId}";
    public string JournalUrl(Guid postId) => $"{PageUrl}?handler=Journal&postId={postId}";

    /// <summary>True in a closing round ("what I take with me"), where each of my shares can go to my journal.</summary>
    public bool TakeRound => Room.Prompt?.Id is { } id && prompts.Find(id)?.Kind == RoomPrompts.TakeKind;

    public string NameOf(string memberId) =>
        memberId == "facilitator" ? FacilitatorName : Room.People.FirstOrDefault(p => p.MemberId == memberId)?.Name ?? "Someone who has left";

    public string StatusText => Room.Status switch
    {
        "waiting" => "Waiting for the room to open",
        "paused" => "Paused for a moment",
        "closed" => "Closed",
        _ => Room.Phase switch
        {
            "round" when Room.Holder is { } h => h == Room.Me.MemberId ? "Your turn to share" : $"{NameOf(h)} is sharing",
            "round" or "betweenRounds" => $"Round {Room.Round}",
            "checkOut" => "Checking out",
            _ => "Arriving",
        },
    };

    public async Task<IActionResult> OnGetAsync(Guid id, Guid meetingId, CancellationToken ct)
    {
        if (!await LoadAsync(id, meetingId, ct)) return NotFound();
        if (TempData[SafetyFlag] is string flag && flag.StartsWith(meetingId.ToString(), StringComparison.Ordinal))
            Safety = new(await safety.SafetyForAsync(UserId, ct), flag.EndsWith(":crisis", StringComparison.Ordinal), FacilitatorName);
        return Page();
    }

    /// <summary>The room alone, for the page script to swap in after live news.</summary>
    public async Task<IActionResult> OnGetPartAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        await LoadAsync(id, meetingId, ct) ? Partial("_Room", this) : NotFound();

    public async Task<IActionResult> OnPostEventAsync(Guid id, Guid meetingId, RoomEventInput input, CancellationToken ct)
    {
        var before = input.Type == "checkOut" ? await rooms.GetAsync(UserId, id, meetingId, ct) : null;
        // The short answer: the page that follows the redirect shows the room, so the answer needn't.
        var outcome = await rooms.ApplyAsync(UserId, id, meetingId, input, ct, brief: true);
        switch (outcome.Answer)
        {
            case RoomAnswer.NotFound:
                return NotFound();
            case RoomAnswer.Ok:
                if (outcome.Brief!.Safety is not null) TempData[SafetyFlag] = $"{meetingId}:crisis";
                else if (Hard(input, before)) TempData[SafetyFlag] = $"{meetingId}:hard";
                return Redirect(PageUrlOf(id, meetingId) + (input.Type is "post" or "witness" ? "#post-" + (input.PostId ?? outcome.Brief.PostId) : ""));
        }
        if (!await LoadAsync(id, meetingId, ct)) return NotFound();
        if (input.Type == "post") ComposerText = input.Text;
        switch (outcome.Answer)
        {
            case RoomAnswer.Stale:
                Notice = "The room moved on while you were choosing. Here it is as it is now" + (input.Type == "post" ? "; your words are still in the box." : ".");
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            case RoomAnswer.NotYours:
                Notice = outcome.Title;
                Response.StatusCode = StatusCodes.Status403Forbidden;
                break;
            default:
                if (outcome.AdviceLike && input.PostId is { } post)
                {
                    AdviceFor = post;
                    AdviceQuestion = outcome.Errors!.Items.First().Message;
                    ReflectionText = input.Text;
                }
                else Show(outcome.Errors ?? new FieldErrors().Add("type", "That didn't work. Please try again."));
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
        }
        return Page();
    }

    /// <summary>My own share, saved privately to my journal.</summary>
    public async Task<IActionResult> OnPostJournalAsync(Guid id, Guid meetingId, Guid postId, CancellationToken ct)
    {
        var entry = await journal.SaveAsync(UserId, id, meetingId, postId, ct);
        if (entry is null) return NotFound();
        TempData["Status"] = "Saved to your journal. Only you can read it there.";
        return Redirect(PageUrlOf(id, meetingId) + "#post-" + postId);
    }

    private static string PageUrlOf(Guid id, Guid meetingId) => $"/groups/{id}/meetings/{meetingId}";

    /// <summary>A hard arrival (7 or more), or leaving 3 or more above how I arrived.</summary>
    private static bool Hard(RoomEventInput input, RoomStateDto? before)
    {
        if (input.Suds is not { } suds || input.Pass == true) return false;
        if (input.Type == "checkIn") return suds >= HardArrival;
        if (input.Type != "checkOut" || before is null) return false;
        var arrived = before.CheckIns.FirstOrDefault(c => c.MemberId == before.Me.MemberId)?.Suds;
        return arrived is { } a && suds - a >= HardRise;
    }

    private async Task<bool> LoadAsync(Guid id, Guid meetingId, CancellationToken ct)
    {
        if (await rooms.GetAsync(UserId, id, meetingId, ct) is not { } room) return false;
        var group = await db.Set<Group>().AsNoTracking().Where(g => g.Id == id)
            .Select(g => new { g.Title, g.FacilitatorName, g.Part }).FirstAsync(ct);
        Room = room;
        GroupTitle = group.Title;
        FacilitatorName = room.People.FirstOrDefault(p => p.Role == "facilitator")?.Name ?? group.FacilitatorName;
        MeetingNumber = await db.Set<GroupMeeting>().Where(m => m.Id == meetingId).Select(m => m.Number).FirstAsync(ct);
        PromptChoices = prompts.ForPart(group.Part);
        return true;
    }
}
