using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Infrastructure.Push;
using Attune.Tests.Push;
using Attune.Tests.Support;

namespace Attune.Tests.Care;

/// <summary>Reminders for what a therapist assigned, and recurring check-ins, with a moved clock. Its own app, because the clock moves.</summary>
public sealed class CareReminderTests(PushApp app) : IClassFixture<PushApp>
{
    [Fact]
    public async Task ARecurringCheckIn_IsRemindedWithoutContent_UnlessDone_AndTheNextOneIsSetAtEachDueTime()
    {
        var person = await app.RegisterAsync("Ola");
        var therapist = await app.RegisterAsync("Dr Reminder");
        var profileId = await Therapists.CreateAsync(therapist, "Dr Reminder");
        await Therapists.ConnectAsync(person, therapist, profileId);
        var service = app.PushService.NewEndpoint();
        var (browser, auth) = await PushApp.SubscribeAsync(person, service.Url);
        using var _ = browser;
        int Reminders() => Mail.All(app.MailDirectory).Count(m => m.To == person.Email && m.Subject.Contains("reminder", StringComparison.Ordinal));
        const string note = "Reminder Note Canary Godwit 9034";

        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments",
            new { practice = "safe-place", dueAt = app.Clock.GetUtcNow().AddDays(3).ToString("o"), repeatEveryDays = 14 }), "repeatEveryDays");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments",
            new { instrument = "phq9", dueAt = app.Clock.GetUtcNow().AddDays(3).ToString("o"), repeatEveryDays = 2 }), "repeatEveryDays");
        var due = app.Clock.GetUtcNow().AddDays(3);
        await Expect.StatusAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments",
            new { instrument = "phq9", dueAt = due.ToString("o"), repeatEveryDays = 14, note }), HttpStatusCode.Created);

        await app.JobsDoneAsync();
        await app.SettledAsync();
        Assert.Equal(0, Reminders()); // not yet: a day before it is due

        app.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        await app.JobsDoneAsync();
        await app.SettledAsync();
        Assert.Equal(1, Reminders());
        var email = Mail.All(app.MailDirectory).Last(m => m.To == person.Email && m.Subject.Contains("reminder", StringComparison.Ordinal));
        Assert.DoesNotContain(note, email.Body);
        Assert.DoesNotContain("Dr Reminder", email.Body);
        Assert.DoesNotContain("PHQ", email.Body);
        var (_, body) = Assert.Single(service.Received);
        var pushed = Encoding.UTF8.GetString(WebPushCrypto.Decrypt(body, browser, auth));
        Assert.DoesNotContain(note, pushed);
        Assert.DoesNotContain("Dr Reminder", pushed);

        // At the due time the next one is set, fourteen days on, with the same note.
        app.Clock.Advance(TimeSpan.FromDays(1));
        await app.JobsDoneAsync();
        person = await app.SignInAsync(person.Email); // tokens follow the moved clock
        var list = (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assignments")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        var next = list.Single(a => a.GetProperty("dueAt").GetDateTimeOffset() > due.AddDays(13));
        Assert.Equal(note, next.GetProperty("note").GetString());
        Assert.Equal(14, next.GetProperty("repeatEveryDays").GetInt32());

        // Done before its reminder: no reminder.
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 } }), HttpStatusCode.Created);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 } }), HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromDays(13));
        await app.JobsDoneAsync();
        await app.SettledAsync();
        Assert.Equal(1, Reminders());
        person = await app.SignInAsync(person.Email);
        Assert.All((await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assignments")).GetProperty("items").EnumerateArray().Take(2),
            a => Assert.NotEqual(JsonValueKind.Null, a.GetProperty("doneAt").ValueKind));
    }

    [Fact]
    public async Task AnAgreedTime_IsRemindedADayBefore_ToBoth_NamingNoOne()
    {
        var person = await app.RegisterAsync("Lu");
        var therapist = await app.RegisterAsync("Dr Clock");
        var profileId = await Therapists.CreateAsync(therapist, "Dr Clock");
        await Therapists.ConnectAsync(person, therapist, profileId);
        var start = app.Clock.GetUtcNow().AddDays(3);
        var options = await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/appointments", new { options = new[] { start.ToString("o") }, where = "Secret Room Canary 4471" });
        var id = JsonDocument.Parse(await Expect.StatusAsync(options, HttpStatusCode.Created)).RootElement[0].GetProperty("id").GetString();
        await Expect.StatusAsync(await person.Api.PostAsync($"/api/v1/appointments/{id}/accept", null), HttpStatusCode.OK);
        int Sent(string to) => Mail.All(app.MailDirectory).Count(m => m.To == to && m.Subject.Contains("session coming up", StringComparison.Ordinal));

        await app.JobsDoneAsync();
        await app.SettledAsync();
        Assert.Equal(0, Sent(person.Email));
        app.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        await app.JobsDoneAsync();
        await app.SettledAsync();
        Assert.Equal(1, Sent(person.Email));
        Assert.Equal(1, Sent(therapist.Email));
        var body = Mail.All(app.MailDirectory).Last(m => m.To == person.Email && m.Subject.Contains("session coming up", StringComparison.Ordinal)).Body;
        Assert.DoesNotContain("Secret Room", body);
        Assert.DoesNotContain("Dr Clock", body);
        await app.JobsDoneAsync();
        await app.SettledAsync();
        Assert.Equal(1, Sent(person.Email)); // once
    }
}
