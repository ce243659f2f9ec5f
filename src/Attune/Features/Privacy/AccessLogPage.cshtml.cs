using Attune.Infrastructure.Web;

namespace Attune.Features.Privacy;

public sealed class AccessLogPageModel(AccessLog log) : SignedInPageModel
{
    public List<AccessLog.Row> Rows { get; private set; } = [];
    public string? Next { get; private set; }

    public async Task OnGetAsync(string? cursor, CancellationToken ct) =>
        (Rows, Next) = await log.ReadAsync(UserId, 50, cursor, ct);

    /// <summary>What happened, in words rather than the log's codes.</summary>
    public static string Describe(AccessLog.Row r) => (r.Action, r.ItemType) switch
    {
        ("read", "journal") => "Read a journal entry you shared",
        ("read", "practice") => "Read a practice you shared",
        ("read", "checkin") => "Read a check-in result you shared",
        ("read", "caseload") => "Looked at what you agreed to show in their workspace",
        ("read", "check-ins") => "Looked at your check-in scores",
        ("read", "signs") => "Read the Signs result you sent with your request",
        ("opened", "phase") => $"Opened part {r.ItemId} of your journey",
        ("closed", "phase") => $"Closed part {r.ItemId} of your journey",
        ("reset", "phase") => $"Put part {r.ItemId} of your journey back to the usual rules",
        _ => $"{r.Action} {r.ItemType}",
    };
}
