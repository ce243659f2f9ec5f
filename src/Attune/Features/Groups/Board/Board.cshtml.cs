using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups.Board;

/// <summary>
/// The group's board between meetings: post, answer with a witness reply or a short reflection
/// (gently asked about when it reads like advice), and take back your own. Works without script.
/// </summary>
public sealed class BoardModel(BoardService board, Room.RoomService rooms, Room.IRoomTextCheck check) : SignedInPageModel
{
    private const string SafetyFlag = "BoardSafety";

    /// <summary>After my own words that suggest crisis: my crisis lines, plan and reach, and who was told. Shown once.</summary>
    public Room.RoomSafetyView? Safety { get; private set; }

    [BindProperty] public string? Text { get; set; }
    [BindProperty] public string? Reflection { get; set; }
    [BindProperty] public bool SendAnyway { get; set; }

    public BoardDto Board { get; private set; } = null!;
    public Guid GroupId { get; private set; }
    /// <summary>The post whose reflection read like advice and wasn't confirmed: the page asks there, gently.</summary>
    public Guid? AskAboutAdvice { get; private set; }
    /// <summary>The post a reflection was being written for, when it needs another look.</summary>
    public Guid? ReflectingOn { get; private set; }

    public static readonly IReadOnlyList<(string Kind, string Label, string Text)> Replies =
        [("thanks", "Thank you for sharing", "Thank you for sharing"), ("hear", "I hear you", "I hear you"), ("metoo", "Me too", "Me too"), ("heart", "Send a heart", "♥")];

    public async Task<IActionResult> OnGetAsync(Guid id, string? cursor, CancellationToken ct)
    {
        if (!await LoadAsync(id, cursor, ct)) return NotFound();
        // Not the bare id: temp data reads a string that parses as a Guid back as a Guid.
        if (TempData[SafetyFlag] is string flag && flag == $"{id}:crisis")
            Safety = new(await check.SafetyForAsync(UserId, ct), true, Board.FacilitatorName ?? "your facilitator", OnBoard: true);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, string? cursor, CancellationToken ct)
    {
        if (await board.ListAsync(UserId, id, cursor, ct) is not { } b) return false;
        Board = b;
        GroupId = id;
        return true;
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var result = await board.PostAsync(UserId, id, new BoardPostInput(Text), ct);
        if (result.Value?.Safety is not null) TempData[SafetyFlag] = $"{id}:crisis";
        return await AfterAsync(id, result.Answer, result.Errors, result.Why, "Posted. The group can read it now, and you can take it back whenever you like.", ct);
    }

    public async Task<IActionResult> OnPostWitnessAsync(Guid id, Guid postId, string? kind, CancellationToken ct)
    {
        var input = kind is null ? new BoardWitnessInput(null, Reflection, SendAnyway) : new BoardWitnessInput(kind, null, null);
        var result = await board.WitnessAsync(UserId, id, postId, input, ct);
        if (result.Value?.Safety is not null) TempData[SafetyFlag] = $"{id}:crisis";
        if (result.AdviceLike) AskAboutAdvice = postId;
        if (result.Answer == BoardAnswer.Invalid) ReflectingOn = postId;
        return await AfterAsync(id, result.Answer, result.AdviceLike ? null : result.Errors, result.Why, kind is null ? "Sent. They'll see what you wrote." : null, ct);
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, Guid postId, CancellationToken ct)
    {
        var result = await board.DeleteAsync(UserId, id, postId, ct);
        return await AfterAsync(id, result.Answer, null, result.Why, "Taken back. It's gone for everyone.", ct);
    }

    /// <summary>
    /// Withdraws my own share kept from a meeting: the room's own <c>withdraw</c>, at the room's current
    /// version (a closed room rarely moves, but a second try covers someone else's withdrawal at the same moment).
    /// </summary>
    public async Task<IActionResult> OnPostWithdrawShareAsync(Guid id, Guid meetingId, Guid postId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await rooms.GetAsync(UserId, id, meetingId, ct) is not { } room) return NotFound();
            var outcome = await rooms.ApplyAsync(UserId, id, meetingId, new Room.RoomEventInput("withdraw", room.Version, PostId: postId), ct);
            switch (outcome.Answer)
            {
                case Room.RoomAnswer.Stale: continue;
                case Room.RoomAnswer.Ok:
                    TempData["Status"] = "Withdrawn. It's gone for everyone.";
                    return Redirect($"/groups/{id}/board#from-meetings-heading");
                case Room.RoomAnswer.NotYours:
                    TempData["Status"] = outcome.Title;
                    return Redirect($"/groups/{id}/board");
                default:
                    return NotFound();
            }
        }
        TempData["Status"] = "The room was busy just then. Please try again.";
        return Redirect($"/groups/{id}/board");
    }

    private async Task<IActionResult> AfterAsync(Guid id, BoardAnswer answer, FieldErrors? errors, string? why, string? done, CancellationToken ct)
    {
        switch (answer)
        {
            case BoardAnswer.NotFound:
                return NotFound();
            case BoardAnswer.Forbidden:
                TempData["Status"] = why;
                return Redirect($"/groups/{id}/board");
            case BoardAnswer.Invalid:
                if (!await LoadAsync(id, null, ct)) return NotFound();
                if (errors is not null) Show(errors);
                return Page();
            default:
                if (done is not null) TempData["Status"] = done;
                return Redirect($"/groups/{id}/board");
        }
    }
}
