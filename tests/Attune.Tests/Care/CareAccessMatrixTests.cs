using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Account;
using Attune.Tests.Support;

namespace Attune.Tests.Care;

/// <summary>
/// Everything about a person, asked by every kind of caller: therapists with no consent and with
/// each consent, a therapist whose relationship ended, a therapist with no relationship, an
/// administrator, someone without a therapist profile, the person, and nobody signed in. What
/// comes back must match the consents exactly, and nothing of the person's may reach anyone else.
/// </summary>
public sealed class CareAccessMatrixTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private const string Canary = "Care Matrix Canary Heron 2284";

    private enum Actor { Person, NoConsent, Journey, CheckIns, Activations, Ended, OtherTherapist, Admin, NotTherapist, Anonymous }

    [Fact]
    public async Task EveryCallerGetsExactlyWhatTheConsentsAllow()
    {
        var person = await app.RegisterAsync("Casey");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 } }), HttpStatusCode.Created);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/activations", new { situation = Canary, intensity = 5, patterns = new[] { "critic" } }), HttpStatusCode.Created);

        var clients = new Dictionary<Actor, HttpClient> { [Actor.Person] = person.Api };
        var careIds = new Dictionary<Actor, string>();
        foreach (var (actor, consents) in new[] { (Actor.NoConsent, (false, false, false)), (Actor.Journey, (true, false, false)), (Actor.CheckIns, (false, true, false)),
                     (Actor.Activations, (false, false, true)), (Actor.Ended, (true, true, true)) })
        {
            var therapist = await app.RegisterAsync();
            var profile = await Therapists.CreateAsync(therapist, $"Dr {actor}");
            careIds[actor] = await Therapists.ConnectAsync(person, therapist, profile, consents.Item1, consents.Item2, consents.Item3, message: Canary);
            clients[actor] = therapist.Api;
        }
        await Expect.StatusAsync(await clients[Actor.Ended].DeleteAsync($"/api/v1/care/{careIds[Actor.Ended]}"), HttpStatusCode.NoContent);
        var other = await app.RegisterAsync();
        await Therapists.CreateAsync(other, "Dr Nobody's");
        clients[Actor.OtherTherapist] = other.Api;
        var admin = await app.RegisterAsync();
        Assert.Equal(0, await Administrators.RunCommandAsync(app.Services, ["admin", "grant", admin.Email]));
        clients[Actor.Admin] = (await app.SignInAsync(admin.Email)).Api;
        clients[Actor.NotTherapist] = (await app.RegisterAsync()).Api;
        using var anonymous = app.CreateClient();
        clients[Actor.Anonymous] = anonymous;

        const HttpStatusCode ok = HttpStatusCode.OK, nf = HttpStatusCode.NotFound, no = HttpStatusCode.Forbidden, anon = HttpStatusCode.Unauthorized,
            created = HttpStatusCode.Created, done = HttpStatusCode.NoContent;
        var p = person.Id;
        var due = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd");
        // Columns: Person, NoConsent, Journey, CheckIns, Activations, Ended, OtherTherapist, Admin, NotTherapist, Anonymous.
        var rows = new (string Name, Func<HttpRequestMessage> Request, HttpStatusCode[] Expected)[]
        {
            ("caseload entry", () => new(HttpMethod.Get, $"/api/v1/caseload/{p}"), [no, ok, ok, ok, ok, nf, nf, no, no, anon]),
            ("check-ins", () => new(HttpMethod.Get, $"/api/v1/caseload/{p}/check-ins"), [no, nf, nf, ok, nf, nf, nf, no, no, anon]),
            ("assign", () => new(HttpMethod.Post, $"/api/v1/caseload/{p}/assignments") { Content = JsonContent.Create(new { practice = "safe-place", dueAt = due }) },
                [no, created, created, created, created, nf, nf, no, no, anon]),
            ("open a phase", () => new(HttpMethod.Put, $"/api/v1/caseload/{p}/phases/2") { Content = JsonContent.Create(new { open = true, reason = "ready" }) },
                [no, nf, done, nf, nf, nf, nf, no, no, anon]),
            ("the relationship", () => new(HttpMethod.Get, $"/api/v1/care/{careIds[Actor.NoConsent]}"), [ok, ok, nf, nf, nf, nf, nf, nf, nf, anon]),
            ("messages", () => new(HttpMethod.Get, $"/api/v1/care/{careIds[Actor.NoConsent]}/messages"), [ok, ok, nf, nf, nf, nf, nf, nf, nf, anon]),
            ("write a note", () => new(HttpMethod.Post, $"/api/v1/caseload/{p}/notes") { Content = JsonContent.Create(new { text = "A note" }) },
                [no, created, created, created, created, nf, nf, no, no, anon]),
            ("read notes", () => new(HttpMethod.Get, $"/api/v1/caseload/{p}/notes"), [no, ok, ok, ok, ok, nf, nf, no, no, anon]),
            ("propose a time", () => new(HttpMethod.Post, $"/api/v1/caseload/{p}/appointments") { Content = JsonContent.Create(new { options = new[] { DateTimeOffset.UtcNow.AddDays(4).ToString("o") } }) },
                [no, created, created, created, created, nf, nf, no, no, anon]),
            ("change consents", () => new(HttpMethod.Patch, $"/api/v1/care/{careIds[Actor.Journey]}") { Content = JsonContent.Create(new { journey = true }) },
                [ok, nf, HttpStatusCode.BadRequest, nf, nf, nf, nf, nf, nf, anon]),
        };

        var failures = new List<string>();
        foreach (var (name, request, expected) in rows)
        {
            foreach (var actor in Enum.GetValues<Actor>())
            {
                using var message = request();
                using var response = await clients[actor].SendAsync(message);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != expected[(int)actor]) failures.Add($"{name} as {actor}: {(int)response.StatusCode}, expected {(int)expected[(int)actor]}");
                if (actor != Actor.Person && body.Contains(Canary, StringComparison.Ordinal)) failures.Add($"{name} as {actor}: shows the person's words");
                if (name == "caseload entry" && response.StatusCode == ok)
                {
                    var entry = JsonDocument.Parse(body).RootElement;
                    foreach (var (part, allowed) in new[] { ("journey", Actor.Journey), ("checkIns", Actor.CheckIns), ("activations", Actor.Activations) })
                        if ((entry.GetProperty(part).ValueKind != JsonValueKind.Null) != (actor == allowed))
                            failures.Add($"caseload entry as {actor}: '{part}' is {(actor == allowed ? "missing" : "shown")}");
                    if (entry.GetProperty("safetyFlag").GetBoolean() != (actor == Actor.CheckIns)) failures.Add($"caseload entry as {actor}: the PHQ-9 flag is wrong");
                }
            }
        }

        // The whole caseload lists the person only for therapists they are connected with.
        foreach (var actor in new[] { Actor.NoConsent, Actor.Journey, Actor.CheckIns, Actor.Activations, Actor.Ended, Actor.OtherTherapist })
        {
            var list = await clients[actor].GetFromJsonAsync<JsonElement>("/api/v1/caseload");
            var listed = list.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("personId").GetString() == p);
            if (listed != actor is not (Actor.Ended or Actor.OtherTherapist)) failures.Add($"caseload as {actor}: the person is {(listed ? "listed" : "missing")}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
