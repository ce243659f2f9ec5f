using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// Issue 24, charts on a phone: every chart page (insights, the report, check-ins, reaches, a group's
/// check-ins) at 390 and 320 px wide, in light and dark. Each chart label, as rendered (an SVG's
/// scaling included), is at least the body-small size; nothing spills sideways; each chart is an
/// image with a name, or hidden, and has its table; axe passes. Screenshots: chart-phone-*.
/// </summary>
public sealed class ChartTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact(LooksOnly = true)]
    public async Task EveryChart_OnAPhone_KeepsItsLabelsAtBodySmallSize_StaysOnScreen_AndHasItsTable()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Rowan");
        foreach (var (intensity, pattern, age) in new[] { (8, "critic", 6), (6, "critic", 9), (3, "needs", 12), (5, "abandonment", 17) })
            await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/activations", new { situation = "A message left unanswered", intensity, feltAge = age, patterns = new[] { pattern } }), HttpStatusCode.Created);
        foreach (var each in new[] { 2, 1 })
        {
            await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { each, each, each, 1, 1, 0, 0, 0, 0 } }), HttpStatusCode.Created);
            await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = Enumerable.Repeat(each, 7).ToArray() }), HttpStatusCode.Created);
            await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/signs/responses", new { answers = Enumerable.Repeat(each, 24).ToArray() }), HttpStatusCode.Created);
        }

        // A reach someone was there for.
        var supporter = await app.RegisterAsync("Sam Okafor");
        await Circles.JoinAsync(app, person, supporter, "Sam");
        var reach = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "now" }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{reach}/responses", new { kind = "here" }), HttpStatusCode.OK);

        // A group whose check-ins the person takes part in, with their result on joining.
        var facilitator = await app.RegisterAsync("Noor");
        var group = await Groups.CreateGroupAsync(facilitator);
        await Groups.InviteAsync(facilitator, person, group.Id, "Rowan", measuresConsent: true);
        var phq = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 1, 1, 1, 1, 1, 0, 0, 0, 0 } }), HttpStatusCode.Created))
            .RootElement.GetProperty("id").GetString();
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync($"/api/v1/groups/{group.Id}/measures", new { checkInId = phq }), HttpStatusCode.Created);

        var pages = new (string Path, string Name, int Charts)[]
        {
            ("/insights?range=4w", "insights", 5),
            ("/insights/report?range=4w", "report", 5),
            ("/check-ins", "check-ins", 2 + 8),
            ("/reach", "reach", 1),
            ($"/groups/{group.Id}/measures", "group-measures", 1),
        };
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var options = BrowserFixture.Phone(app.BaseUrl);
            options.ColorScheme = scheme;
            var context = await fixture.NewContextAsync(options);
            var page = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(page, person.Email, person.Password);
            foreach (var (path, name, charts) in pages)
            {
                foreach (var (width, height) in new[] { (390, 844), (320, 568) })
                {
                    await page.SetViewportSizeAsync(width, height);
                    await page.GotoAsync(path);
                    await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
                    var found = await page.EvaluateAsync<ChartCheck>(CheckScript);
                    Assert.True(found.Count == charts, $"{path} at {width} px: {found.Count} charts, expected {charts}");
                    Assert.True(found.Problems.Length == 0, $"{path} at {width} px, labels at least {found.Min} px:\n{string.Join("\n", found.Problems)}");
                    var wider = await page.EvaluateAsync<string>("() => document.documentElement.scrollWidth > window.innerWidth ? [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).slice(0, 5).map(e => e.outerHTML.slice(0, 160)).join('\\n') || 'something' : ''");
                    Assert.True(wider.Length == 0, $"{path} at {width} px scrolls sideways; wider than the screen:\n{wider}");
                    if (width == 390)
                    {
                        await Screenshots.TakeAsync(page, $"chart-phone-{(scheme == ColorScheme.Dark ? "dark" : "light")}-{name}", fullPage: true);
                        await Accessibility.AssertAsync(page);
                    }
                }
            }
            await context.CloseAsync();
        }

        // On a desktop, insights draws one chart to a row across the reading column (two side by side were ~300 px each).
        var desktop = await fixture.NewContextAsync(new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = 1366, Height = 900 } });
        var wide = await desktop.NewPageAsync();
        await BrowserFixture.SignInAsync(wide, person.Email, person.Password);
        await wide.GotoAsync("/insights?range=4w");
        var widths = await wide.EvaluateAsync<double[]>("() => [...document.querySelectorAll('.insight-charts > figure')].map(f => f.getBoundingClientRect().width)");
        var column = await wide.EvaluateAsync<double>("() => document.querySelector('main').clientWidth");
        Assert.Equal(5, widths.Length);
        Assert.All(widths, w => Assert.True(w > column * 0.8, $"an insights chart is {w} px wide in a {column} px column"));
        await desktop.CloseAsync();
    }

    public sealed class ChartCheck
    {
        public int Count { get; set; }
        public double Min { get; set; }
        public string[] Problems { get; set; } = [];
    }

    /// <summary>
    /// Every element in a chart with text of its own: its font size times the scale its SVG draws it
    /// at (getScreenCTM; 1 for HTML) against the body-small token, read through a probe element.
    /// </summary>
    private const string CheckScript = """
        () => {
          const probe = document.createElement('span');
          probe.style.fontSize = 'var(--text-sm)';
          document.body.append(probe);
          const min = parseFloat(getComputedStyle(probe).fontSize);
          probe.remove();
          const problems = [];
          const charts = [...document.querySelectorAll('main .chart')];
          for (const chart of charts) {
            const name = chart.getAttribute('aria-label') || chart.outerHTML.slice(0, 80);
            if (chart.getAttribute('aria-hidden') !== 'true' && !(chart.getAttribute('role') === 'img' && name.trim()))
              problems.push(`${name}: neither an image with a name nor hidden`);
            if (!chart.parentElement.querySelector('table')) problems.push(`${name}: no table beside it`);
            // The value axis beside a plot spans just the plot, so each label sits at the height it marks.
            const side = chart.querySelector('.chart-side'), plot = chart.querySelector('.chart-plot');
            if (side && plot && Math.abs(side.getBoundingClientRect().height - plot.getBoundingClientRect().height) > 1)
              problems.push(`${name}: its axis is ${side.getBoundingClientRect().height} px tall beside a plot of ${plot.getBoundingClientRect().height} px`);
            for (const el of [chart, ...chart.querySelectorAll('*')]) {
              if (![...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
              const ctm = el.getScreenCTM ? el.getScreenCTM() : null;
              const size = parseFloat(getComputedStyle(el).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
              if (size < min - 0.05) problems.push(`${name}: "${el.textContent.trim()}" at ${size.toFixed(1)} px`);
            }
          }
          return { count: charts.length, min, problems };
        }
        """;
}
