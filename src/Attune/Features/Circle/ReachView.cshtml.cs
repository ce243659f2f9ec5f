using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Circle;

/// <summary>
/// One reach, in words for whoever reads it. The sender sees who has it and their answers live,
/// what happens next (or, when nobody can come, other help at once); a recipient answers, and
/// after answering sees what they said and where to go on.
/// </summary>
public sealed class ReachViewModel(Reaches reaches, Safety.SafetyPlans plans, Safety.CrisisResources crisis, Care.CareService care,
    CircleService circle, TimeProvider clock) : CirclePageModel
{
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public int? Minutes { get; set; }
    [BindProperty] public string? Message { get; set; }

    public ReachDto Reach { get; private set; } = null!;
    public Safety.SafetyPlanDto Plan { get; private set; } = Safety.SafetyPlanDto.Empty;
    public Safety.CrisisAnswer? Crisis { get; private set; }
    /// <summary>For the sender while waiting: whether it could still move on to someone else.</summary>
    public bool AnyoneElse { get; private set; }
    /// <summary>For the sender when nobody can come: their therapists, to message.</summary>
    public IReadOnlyList<Care.CareDto> Therapists { get; private set; } = [];
    /// <summary>When nobody could come: others in the circle outside their hours just now, and when (in my time) they can be reached.</summary>
    public IReadOnlyList<(string Name, string When)> Later { get; private set; } = [];
    /// <summary>People it was sent to (chosen by name) who are outside their hours just now: by user id, when they can be reached.</summary>
    public IReadOnlyDictionary<string, string> SentOutside { get; private set; } = new Dictionary<string, string>();

    public ReachRecipientDto? Here => Reach.Recipients.FirstOrDefault(r => r.Response == "here");
    public ReachRecipientDto? Soon => Reach.Recipients.FirstOrDefault(r => r.Response == "soon");

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await reaches.GetAsync(UserId, id, markSeen: true, ct) is not { } r) return false;
        Reach = r;
        if (r.Role != "sender") return true;
        if (r.Exhausted)
        {
            Plan = await plans.GetAsync(UserId, ct);
            Crisis = crisis.For(await Me.CountryAsync(ct));
            Therapists = (await care.ListAsync(UserId, ct)).Where(c => c.Role == "person" && c.Status == Care.CareStatus.Active).ToList();
            (Later, _) = await OutsideTheirHoursAsync(r, ct);
        }
        else if (Here is null && Soon is null)
        {
            AnyoneElse = await reaches.AnyoneElseAsync(id, ct);
            Crisis = crisis.For(await Me.CountryAsync(ct));
            (Later, SentOutside) = await OutsideTheirHoursAsync(r, ct);
        }
        return true;
    }

    /// <summary>
    /// People in my circle outside the hours they set just now, and when (in my time) they can be reached: those
    /// this reach could not go to, and those it went to because I chose them.
    /// </summary>
    private async Task<(IReadOnlyList<(string Name, string When)> Later, IReadOnlyDictionary<string, string> Sent)> OutsideTheirHoursAsync(ReachDto r, CancellationToken ct)
    {
        var asked = r.Recipients.Select(x => x.UserId).ToHashSet();
        var now = clock.GetUtcNow();
        var outside = Reaches.OutsideTheirHours((await circle.ListAsync(UserId, ct)).Supporters, r.Urgency, now.UtcDateTime).ToList();
        if (outside.Count == 0) return ([], new Dictionary<string, string>());
        var mine = await Me.ZoneAsync(ct);
        return (outside.Where(s => !asked.Contains(s.UserId)).Select(s => (s.Name, Reaches.NextStart(s.Availability, now, mine))).ToList(),
            outside.Where(s => asked.Contains(s.UserId)).ToDictionary(s => s.UserId, s => Reaches.NextStart(s.Availability, now, mine)));
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var (reach, errors) = await reaches.RespondAsync(UserId, id, new ResponseInput(Kind, Kind == "soon" ? Minutes : null, Message), ct);
        if (reach is null && errors is null) return NotFound();
        if (errors is not null) Show(errors);
        await LoadAsync(id, ct);
        return Page();
    }
}
