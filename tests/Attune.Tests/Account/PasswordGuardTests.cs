using Attune.Features.Account;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Infrastructure.Email;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Account;

/// <summary>
/// Where a password is checked: a pause after five wrong ones that says nothing about whether an
/// account exists and can't be used to keep a person out; the same for the re-checks behind a
/// session; two-step sign-in settings that need the password; and the emails a stranger can ask
/// for leaving from the queue whether or not the address has an account.
/// </summary>
public sealed class PasswordGuardTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static async Task<(HttpStatusCode Status, string Detail)> LoginAsync(HttpClient client, string email, string password)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        var body = await response.Content.ReadAsStringAsync();
        var detail = body.Length == 0 ? "" : JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        return (response.StatusCode, detail);
    }

    [Fact]
    public async Task AfterFiveWrongPasswords_AnAccountAndNoAccount_AnswerAlike()
    {
        var person = await app.RegisterAsync();
        var nobody = AttuneApp.NewEmail("nobody");
        using var client = app.ClientFrom("203.0.113.71");
        var answers = new Dictionary<string, List<(HttpStatusCode, string)>> { [person.Email] = [], [nobody] = [] };
        foreach (var email in answers.Keys)
            for (var i = 0; i < 6; i++) answers[email].Add(await LoginAsync(client, email, "not the right password " + i));
        Assert.Equal(answers[person.Email], answers[nobody]);
        Assert.Contains(answers[nobody], a => a.Item2 == "LockedOut"); // both pause after five

        // The pages say the same words to both, too.
        using var pages = app.AnonymousPages();
        pages.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.71");
        static string Said(string html) => System.Text.RegularExpressions.Regex.Match(html, "<div class=\"form-errors\"[\\s\\S]*?</div>").Value;
        var real = await (await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = person.Email, ["Input.Password"] = "wrong again" })).Content.ReadAsStringAsync();
        var none = await (await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = nobody, ["Input.Password"] = "wrong again" })).Content.ReadAsStringAsync();
        Assert.Contains("paused", Said(real), StringComparison.Ordinal);
        Assert.Equal(Said(real), Said(none));
    }

    [Fact]
    public async Task SomeoneGuessingElsewhere_CannotKeepAPersonOutOfTheirAccount()
    {
        var person = await app.RegisterAsync();
        using var guesser = app.ClientFrom("203.0.113.81");
        for (var i = 0; i < 8; i++) await LoginAsync(guesser, person.Email, "guess number " + i);
        Assert.Equal("LockedOut", (await LoginAsync(guesser, person.Email, person.Password)).Detail);

        using var own = app.ClientFrom("198.51.100.81");
        var (status, detail) = await LoginAsync(own, person.Email, person.Password);
        Assert.True(status == HttpStatusCode.OK, $"The person's own sign-in answered {(int)status} {detail}");
    }

    [Fact]
    public async Task WrongPasswordsBehindASession_CountTowardThePause()
    {
        var person = await app.RegisterAsync();
        HttpRequestMessage Delete(string password) => new(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password }) };
        for (var i = 0; i < 4; i++) await Expect.ProblemNamingAsync(await person.Api.SendAsync(Delete("a wrong guess " + i)), "password");
        await Expect.StatusAsync(await person.Api.SendAsync(Delete("the fifth wrong guess")), HttpStatusCode.TooManyRequests);
        // Now even the right password waits, and the account is still there.
        var right = await person.Api.SendAsync(Delete(person.Password));
        await Expect.StatusAsync(right, HttpStatusCode.TooManyRequests);
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        // Signing in from the same place is paused too.
        using var samePlace = app.CreateClient();
        Assert.Equal("LockedOut", (await LoginAsync(samePlace, person.Email, person.Password)).Detail);
    }

    [Fact]
    public async Task TwoStepSettings_NeedThePassword_OnTheApiAndThePages()
    {
        var person = await app.RegisterAsync();
        var bare = await person.Api.PostAsJsonAsync("/api/auth/manage/2fa", new { });
        var body = await Expect.StatusAsync(bare, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("sharedKey", body, StringComparison.OrdinalIgnoreCase);
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/auth/manage/2fa", new { resetRecoveryCodes = true }), "password");
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/auth/manage/2fa", new { enable = false }), "password");
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/auth/manage/2fa", new { password = "not it at all" }), "password");
        var withPassword = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/auth/manage/2fa", new { password = person.Password }), HttpStatusCode.OK)).RootElement;
        var key = withPassword.GetProperty("sharedKey").GetString()!;
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/auth/manage/2fa", new { enable = true, twoFactorCode = Totp.Code(key), password = person.Password }), HttpStatusCode.OK);

        using var pages = app.AnonymousPages();
        Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = Totp.Code(key) })).StatusCode);
        var before = await app.WithDbAsync(db => db.Set<Microsoft.AspNetCore.Identity.IdentityUserToken<string>>().Where(t => t.UserId == person.Id && t.Name == "RecoveryCodes").Select(t => t.Value).SingleAsync());
        var newCodes = await pages.PostFormAsync("/account/two-factor?handler=NewCodes", new() { }, "/account/two-factor");
        Assert.Equal(HttpStatusCode.OK, newCodes.StatusCode);
        Assert.DoesNotContain("Save your recovery codes", await newCodes.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.WithDbAsync(db => db.Set<Microsoft.AspNetCore.Identity.IdentityUserToken<string>>().Where(t => t.UserId == person.Id && t.Name == "RecoveryCodes").Select(t => t.Value).SingleAsync()));
        var off = await pages.PostFormAsync("/account/two-factor?handler=Disable", new() { ["Password"] = "not it" }, "/account/two-factor");
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Users.Where(u => u.Id == person.Id).Select(u => u.TwoFactorEnabled).SingleAsync()));
    }

    [Fact]
    public async Task ForgotPassword_QueuesTheSameWork_ForAnAccountAndForNone()
    {
        var person = await app.RegisterAsync();
        await app.SettledAsync();
        using var pages = app.AnonymousPages();
        async Task<int> QueuedAfterAsync(string email, Func<Task> ask)
        {
            var before = await app.WithDbAsync(db => db.Set<MailOutbox>().CountAsync());
            await ask();
            return await app.WithDbAsync(db => db.Set<MailOutbox>().CountAsync()) - before;
        }
        var nobody = AttuneApp.NewEmail("nobody");
        foreach (var email in new[] { person.Email, nobody })
        {
            Assert.Equal(1, await QueuedAfterAsync(email, async () => Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync("/account/forgot-password", new() { ["Email"] = email })).StatusCode)));
            using var anon = app.CreateClient();
            Assert.Equal(1, await QueuedAfterAsync(email, async () => await Expect.StatusAsync(await anon.PostAsJsonAsync("/api/auth/forgotPassword", new { email }), HttpStatusCode.OK)));
        }
        // Only the real account gets anything, from the queue: a link from the page, a code from the API.
        await app.SettledAsync();
        Assert.Equal(2, Mail.All(app.MailDirectory).Count(m => m.To == person.Email && m.Subject.Contains("reset", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(Mail.All(app.MailDirectory), m => m.To == nobody);
    }

    [Fact]
    public async Task ChangingThePasswordOnAPage_LeavesNoExtraSession()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        const string next = "a brand new passphrase for now";
        var changed = await pages.PostFormAsync("/account/security?handler=Password", new() { ["Password.Current"] = person.Password, ["Password.New"] = next }, "/account/security");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        await pages.GetPageAsync("/account/security"); // still signed in on this browser
        var active = await app.WithDbAsync(db => db.Set<UserSession>().CountAsync(s => s.UserId == person.Id && s.EndedAt == null));
        Assert.Equal(1, active);
    }

    [Fact]
    public async Task AnInvitation_IsAddressedToTheAddressAlone()
    {
        var owner = await app.RegisterAsync();
        var address = AttuneApp.NewEmail("bare");
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = $"\"Your Bank Security Team\" <{address}>", name = "Bare" }), HttpStatusCode.Created);
        await app.SettledAsync();
        var file = Directory.GetFiles(app.MailDirectory, "*.eml").Single(f => File.ReadAllText(f).Contains(address, StringComparison.OrdinalIgnoreCase));
        var to = File.ReadAllLines(file).Single(l => l.StartsWith("To:", StringComparison.Ordinal));
        Assert.DoesNotContain("Bank", to, StringComparison.Ordinal);
        Assert.Contains(address, to, StringComparison.OrdinalIgnoreCase);
    }
}
