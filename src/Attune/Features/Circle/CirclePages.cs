using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Circle;

/// <summary>The circle's pages: a signed-in person's pages.</summary>
public abstract class CirclePageModel : SignedInPageModel;

/// <summary>My circle: who supports me, whom I support, invitations waiting, inviting someone, and notices on this device.</summary>
[RateLimited(RateLimits.Email, Handler = "invite")]
public sealed class IndexModel(CircleService circle, Infrastructure.Push.VapidKeys vapid, Infrastructure.Push.PushSender push, Data.AttuneDb db) : CirclePageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public bool CanReceiveReaches { get; set; } = true;
    [BindProperty] public bool CanSeeShared { get; set; } = true;

    public CircleDto Circle { get; private set; } = new([], [], []);
    /// <summary>How the people I invite will see me named: my own display name, or nothing yet.</summary>
    public string MyName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        Circle = await circle.ListAsync(UserId, ct);
        var me = await db.Users.AsNoTracking().FirstAsync(u => u.Id == UserId, ct);
        MyName = await Data.AttuneUserExtensions.DisplayNameAsync(db, me, ct);
    }

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        var (_, _, errors) = await circle.InviteAsync(UserId, new InvitationInput(Email, Name, CanReceiveReaches, CanSeeShared), ct);
        if (errors is not null)
        {
            Show(errors);
            await LoadAsync(ct);
            return Page();
        }
        TempData["Status"] = $"Your invitation is on its way to {Email}. It works once, for 7 days.";
        return RedirectToPage();
    }

    /// <summary>The key a browser needs to subscribe to push notices.</summary>
    public async Task<IActionResult> OnGetPushKeyAsync(CancellationToken ct) => new JsonResult(new { publicKey = (await vapid.GetAsync(ct)).PublicKey });

    /// <summary>This browser's push subscription (JSON, as the API takes it), so reaches can reach this device.</summary>
    public async Task<IActionResult> OnPostSubscribeAsync([FromBody] Infrastructure.Push.PushSubscriptionInput? input, CancellationToken ct)
    {
        if (input is null) return new FieldErrors().Add("body", "Please send the subscription as JSON.").ToPageProblem();
        var (id, errors) = await push.SubscribeAsync(UserId, input, ct);
        return errors is not null ? errors.ToPageProblem() : new JsonResult(new { id });
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        if (!await circle.CancelInvitationAsync(UserId, id, ct)) return NotFound();
        TempData["Status"] = "The invitation is cancelled. Its link no longer works.";
        return RedirectToPage();
    }
}

/// <summary>
/// Opening an invitation link: who invited you, what it means, and accepting. Someone not signed
/// in (often someone without an account yet) is told what it is, without who sent it, and is
/// carried back here through creating an account, confirming it and signing in.
/// </summary>
[Microsoft.AspNetCore.Authorization.AllowAnonymous]
public sealed class InvitationModel(CircleService circle) : CirclePageModel
{
    public InvitationPreview Preview { get; private set; } = null!;
    public bool SignedIn => User.Identity?.IsAuthenticated == true;
    public string Here => Request.Path.Value ?? "/";

    public async Task OnGetAsync(string token, CancellationToken ct) =>
        Preview = SignedIn ? (await circle.PreviewAsync(token, UserId, ct)).Preview : await circle.PreviewAnonymousAsync(token, ct);

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (!SignedIn) return Challenge();
        var (outcome, _) = await circle.AcceptAsync(token, UserId, ct);
        if (outcome != AcceptOutcome.Accepted)
        {
            Preview = (await circle.PreviewAsync(token, UserId, ct)).Preview with { Status = outcome };
            return Page();
        }
        return Redirect("/circle/guide?welcome=true");
    }
}

/// <summary>The guide to holding space, for supporters (and anyone).</summary>
public sealed class GuideModel : PageModel
{
    public bool Welcome { get; private set; }

    public void OnGet(bool welcome) => Welcome = welcome;
}

/// <summary>One relationship's settings, for whichever side is looking; ending it from either side.</summary>
public sealed class MemberModel(CircleService circle) : CirclePageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public bool CanReceiveReaches { get; set; }
    [BindProperty] public bool CanSeeShared { get; set; }
    [BindProperty] public int? Order { get; set; }
    [BindProperty] public string? AvailableFrom { get; set; }
    [BindProperty] public string? AvailableTo { get; set; }
    [BindProperty] public bool TalkNowAnytime { get; set; }

    public MemberDto Member { get; private set; } = null!;
    public int SupporterCount { get; private set; }

    private async Task<bool> LoadAsync(Guid memberId, CancellationToken ct)
    {
        var all = await circle.ListAsync(UserId, ct);
        SupporterCount = all.Supporters.Count;
        var found = all.Supporters.Concat(all.Supporting).FirstOrDefault(m => m.MemberId == memberId);
        if (found is null) return false;
        Member = found;
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid memberId, CancellationToken ct)
    {
        if (!await LoadAsync(memberId, ct)) return NotFound();
        (Name, CanReceiveReaches, CanSeeShared, Order) = (Member.Name, Member.CanReceiveReaches, Member.CanSeeShared, Member.Order);
        (AvailableFrom, AvailableTo, TalkNowAnytime) = (Member.Availability.From, Member.Availability.To, Member.Availability.TalkNowAnytime);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid memberId, CancellationToken ct)
    {
        if (!await LoadAsync(memberId, ct)) return NotFound();
        var patch = Member.Role == "supporter"
            ? new MemberPatch(Name ?? "", CanReceiveReaches, CanSeeShared, Order, null, null, null)
            : new MemberPatch(null, null, null, null, AvailableFrom ?? "", AvailableTo ?? "", TalkNowAnytime);
        var (_, errors) = await circle.UpdateAsync(UserId, memberId, patch, ct);
        if (errors is not null)
        {
            Show(errors);
            return Page();
        }
        TempData["Status"] = "Saved.";
        return Redirect($"/circle/{memberId}");
    }

    public async Task<IActionResult> OnPostEndAsync(Guid memberId, CancellationToken ct)
    {
        if (!await circle.EndAsync(UserId, memberId, ct)) return NotFound();
        TempData["Status"] = "That connection has ended. Nothing more is shared between you through Attune.";
        return RedirectToPage("/Circle/Index");
    }
}

/// <summary>Reaching out: compose (who, how urgent, an optional message), and the person's own record of reaches.</summary>
public sealed class ReachModel(Reaches reaches, CircleService circle) : CirclePageModel
{
    [BindProperty] public string? Message { get; set; }
    [BindProperty] public string Urgency { get; set; } = "now";
    [BindProperty] public List<Guid> To { get; set; } = [];

    public CircleDto Circle { get; private set; } = new([], [], []);
    public List<ReachDto> Mine { get; private set; } = [];

    /// <summary>Per week (Monday first, UTC), how many reaches and how many someone was there for ("here" or "soon").</summary>
    public IReadOnlyList<(DateOnly Week, int Reaches, int Answered)> Weeks => Mine
        .GroupBy(r => DateOnly.FromDateTime(r.CreatedAt.UtcDateTime).AddDays(-(((int)r.CreatedAt.UtcDateTime.DayOfWeek + 6) % 7)))
        .OrderBy(g => g.Key)
        .Select(g => (g.Key, g.Count(), g.Count(r => r.Recipients.Any(x => x.Response is "here" or "soon"))))
        .ToList();

    /// <summary>The weeks as a bar chart: each bar all reaches, its darker part those someone was there for.</summary>
    public string WeeksSvg()
    {
        var weeks = Weeks;
        const double width = 480, height = 160, left = 30, bottom = 28, top = 10;
        var chart = new Infrastructure.Charts.ChartScene(width, height);
        var max = Math.Max(1, weeks.Count == 0 ? 1 : weeks.Max(w => w.Reaches));
        chart.Line(left, height - bottom, width - 6, height - bottom);
        chart.Label(left - 4, top + 8, max.ToString(System.Globalization.CultureInfo.InvariantCulture), "end");
        var slot = (width - left - 10) / Math.Max(1, weeks.Count);
        for (var i = 0; i < weeks.Count; i++)
        {
            var (week, all, answered) = weeks[i];
            double H(int n) => n / (double)max * (height - top - bottom);
            var x = left + i * slot + 2;
            chart.Rect(x, height - bottom - H(all), Math.Max(2, slot - 4), H(all), "heat", 0.35);
            if (answered > 0) chart.Rect(x, height - bottom - H(answered), Math.Max(2, slot - 4), H(answered), "bar");
            if (i == 0 || i == weeks.Count - 1) chart.Label(x + (slot - 4) / 2, height - bottom + 14, week.ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture), "middle");
        }
        var total = weeks.Sum(w => w.Reaches);
        var there = weeks.Sum(w => w.Answered);
        return chart.ToSvg($"Your reaches by week: {total} in all, someone was there for {there}. The table below has each week.");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Circle = await circle.ListAsync(UserId, ct);
        Mine = await reaches.MineAsync(UserId, ct);
    }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// <summary>The one-tap reach, from the moments distress is highest: "talk now", to everyone who can be reached now.</summary>
    public async Task<IActionResult> OnPostNowAsync(CancellationToken ct)
    {
        var (reach, errors) = await reaches.CreateAsync(UserId, new ReachInput(null, "now", null, null), ct);
        if (errors is not null)
        {
            Show(errors);
            await LoadAsync(ct);
            return Page();
        }
        return Redirect($"/reaches/{reach!.Id}");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (reach, errors) = await reaches.CreateAsync(UserId, new ReachInput(Message, Urgency, To, null), ct);
        if (errors is not null)
        {
            Show(errors);
            await LoadAsync(ct);
            return Page();
        }
        return Redirect($"/reaches/{reach!.Id}");
    }
}

/// <summary>
/// One reach, in words for whoever reads it. The sender sees who has it and their answers live,
/// what happens next (or, when nobody can come, other help at once); a recipient answers, and
/// after answering sees what they said and where to go on.
/// </summary>
public sealed class ReachViewModel(Reaches reaches, Safety.SafetyPlans plans, Safety.CrisisResources crisis, Data.AttuneDb db, Care.CareService care,
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
            var asked = r.Recipients.Select(x => x.UserId).ToHashSet();
            var mine = Care.Appointments.Zone((await db.ProfileAsync(UserId, ct))?.TimeZoneId ?? "UTC");
            Later = (await circle.ListAsync(UserId, ct)).Supporters
                .Where(s => s.CanReceiveReaches && !asked.Contains(s.UserId) && s.Availability.From is not null)
                .Select(s => (s.Name, NextStart(s.Availability, clock.GetUtcNow(), mine))).ToList();
        }
        else if (Here is null && Soon is null)
        {
            AnyoneElse = await reaches.AnyoneElseAsync(id, ct);
            Crisis = crisis.For(await Me.CountryAsync(ct));
        }
        return true;
    }

    /// <summary>The next start of someone's hours, in their zone, said in mine: "from 08:00" or "tomorrow from 08:00".</summary>
    public static string NextStart(Availability hours, DateTimeOffset now, TimeZoneInfo mine)
    {
        var theirs = Care.Appointments.Zone(hours.TimeZone);
        var theirNow = TimeZoneInfo.ConvertTime(now, theirs).DateTime;
        var start = theirNow.Date + TimeOnly.ParseExact(hours.From!, "HH:mm", System.Globalization.CultureInfo.InvariantCulture).ToTimeSpan();
        if (start <= theirNow) start = start.AddDays(1);
        if (theirs.IsInvalidTime(start)) start = start.AddHours(1);
        var inMine = TimeZoneInfo.ConvertTimeFromUtc(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(start, DateTimeKind.Unspecified), theirs), mine);
        var today = TimeZoneInfo.ConvertTime(now, mine).Date;
        return (inMine.Date == today ? "from " : inMine.Date == today.AddDays(1) ? "tomorrow from " : inMine.ToString("dddd", System.Globalization.CultureInfo.InvariantCulture) + " from ")
            + inMine.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " your time";
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
