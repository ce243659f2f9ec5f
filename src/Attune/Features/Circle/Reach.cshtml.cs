using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Circle;

/// <summary>Reaching out: compose (who, how urgent, an optional message), and the person's own record of reaches.</summary>
public sealed class ReachModel(Reaches reaches, CircleService circle, Safety.CrisisResources crisis, TimeProvider clock) : CirclePageModel
{
    [BindProperty] public string? Message { get; set; }
    [BindProperty] public string Urgency { get; set; } = "now";
    [BindProperty] public List<Guid> To { get; set; } = [];

    public CircleDto Circle { get; private set; } = new([], [], []);
    public List<ReachDto> Mine { get; private set; } = [];

    /// <summary>
    /// For each person outside the hours they set just now, what to know before choosing: when they can be
    /// reached (in my time), or that they said yes to "talk now" at any hour. Left unticked, a reach goes only
    /// to those it may reach now; ticked, it goes to them anyway.
    /// </summary>
    public IReadOnlyDictionary<Guid, string> Hours { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>Crisis lines for the person's country, when nobody in their circle can be reached: never a dead end.</summary>
    public Safety.CrisisAnswer? Crisis { get; private set; }

    /// <summary>Per week (Monday first, UTC), how many reaches and how many someone was there for ("here" or "soon").</summary>
    public IReadOnlyList<(DateOnly Week, int Reaches, int Answered)> Weeks => Mine
        .GroupBy(r => DateOnly.FromDateTime(r.CreatedAt.UtcDateTime).AddDays(-(((int)r.CreatedAt.UtcDateTime.DayOfWeek + 6) % 7)))
        .OrderBy(g => g.Key)
        .Select(g => (g.Key, g.Count(), g.Count(r => r.Recipients.Any(x => x.Response is "here" or "soon"))))
        .ToList();

    /// <summary>The weeks as a bar chart: each bar all reaches, its strongest colour those someone was there for.</summary>
    public string WeeksChart()
    {
        var weeks = Weeks;
        const double width = 480, height = 160, left = 30, bottom = 28, top = 10;
        var chart = new Infrastructure.Charts.ChartScene(width, height).Plot(left, top, 6, bottom);
        var max = Math.Max(1, weeks.Count == 0 ? 1 : weeks.Max(w => w.Reaches));
        chart.Line(left, height - bottom, width - 6, height - bottom);
        chart.Label(left - 4, top + 8, max.ToString(System.Globalization.CultureInfo.InvariantCulture), "end");
        var slot = Math.Min(48, (width - left - 10) / Math.Max(1, weeks.Count)); // a week or two stay bars, not a block
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
        return chart.ToHtml($"Your reaches by week: {total} in all, someone was there for {there}. The table below has each week.");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Circle = await circle.ListAsync(UserId, ct);
        Mine = await reaches.MineAsync(UserId, ct);
        var now = clock.GetUtcNow();
        var outside = Reaches.OutsideTheirHours(Circle.Supporters, "today", now.UtcDateTime).ToList();
        if (outside.Count > 0)
        {
            var mine = await Me.ZoneAsync(ct);
            Hours = outside.ToDictionary(s => s.MemberId, s => s.Availability.TalkNowAnytime
                ? $"Outside the hours they set, but they're glad to get an \"I'd like to talk now\" reach at any hour. Otherwise they can be reached {Reaches.NextStart(s.Availability, now, mine)}."
                : $"Outside the hours they set: they can be reached {Reaches.NextStart(s.Availability, now, mine)}. Tick them to reach them anyway.");
        }
        if (!Circle.Supporters.Any(s => s.CanReceiveReaches)) Crisis = crisis.For(await Me.CountryAsync(ct));
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
