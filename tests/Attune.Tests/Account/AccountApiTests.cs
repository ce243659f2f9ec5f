using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Account;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Account;

public sealed class AccountApiTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task Register_ThenSignInBeforeConfirming_IsRefused_ThenAllowedAfterConfirming()
    {
        var email = AttuneApp.NewEmail();
        using var anon = app.CreateClient();
        await Expect.StatusAsync(await anon.PostAsJsonAsync("/api/auth/register", new { email, password = AttuneApp.DefaultPassword }), HttpStatusCode.OK);

        var early = await anon.PostAsJsonAsync("/api/auth/login", new { email, password = AttuneApp.DefaultPassword });
        await Expect.StatusAsync(early, HttpStatusCode.Unauthorized);

        await app.ConfirmEmailAsync(email);
        var person = await app.SignInAsync(email);
        var me = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(email, me.GetProperty("email").GetString());
    }

    [Theory]
    [InlineData("short pass")]
    [InlineData("password123456")]
    [InlineData("qwertyuiopasdf")]
    [InlineData("monkeymonkeymonkey")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    public async Task Register_WithWeakPassword_AnswersProblemNamingPassword(string password)
    {
        using var anon = app.CreateClient();
        var response = await anon.PostAsJsonAsync("/api/auth/register", new { email = AttuneApp.NewEmail(), password });
        await Expect.ProblemNamingAsync(response, "password");
    }

    [Fact]
    public async Task Register_WithPasswordBuiltFromOwnEmail_IsRefused()
    {
        var email = $"wildflower{Guid.NewGuid():N}"[..20] + "@example.test";
        using var anon = app.CreateClient();
        var response = await anon.PostAsJsonAsync("/api/auth/register", new { email, password = email.Split('@')[0] + "2026" });
        var problem = await Expect.ProblemNamingAsync(response, "password");
        Assert.Contains("email", problem.GetProperty("errors").GetProperty("password")[0].GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Register_LongPassphraseOfAnyCharacters_IsAccepted()
    {
        var passphrase = new string('é', 3) + " " + string.Join(' ', Enumerable.Repeat("zebra lantern", 9)) + " ☂️ 漢字";
        Assert.True(passphrase.Length >= 128);
        var person = await app.RegisterAsync(password: passphrase);
        Assert.NotNull(person.Id);
    }

    [Fact]
    public async Task Register_WithAnAddressThatHasAnAccount_AnswersLikeANewOne_AndTellsTheOwner()
    {
        var owner = await app.RegisterAsync();
        using var anon = app.CreateClient();
        var response = await anon.PostAsJsonAsync("/api/auth/register", new { email = owner.Email, password = "another calm passphrase" });
        await Expect.StatusAsync(response, HttpStatusCode.OK);
        var note = await app.MailAsync(owner.Email, "About your Attune account");
        Assert.Contains("already has one", note.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_UnknownEmail_AndWrongPassword_AnswerTheSame()
    {
        var person = await app.RegisterAsync();
        using var anon = app.CreateClient();
        var wrong = await anon.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = "not the right one at all" });
        var unknown = await anon.PostAsJsonAsync("/api/auth/login", new { email = AttuneApp.NewEmail("nobody"), password = "not the right one at all" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        static string Shape(string body) => JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? "";
        Assert.Equal(Shape(await wrong.Content.ReadAsStringAsync()), Shape(await unknown.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task SignIn_WrongPasswordForUnconfirmedAccount_AnswersLikeUnknownAccount()
    {
        var email = AttuneApp.NewEmail();
        using var anon = app.CreateClient();
        await Expect.StatusAsync(await anon.PostAsJsonAsync("/api/auth/register", new { email, password = AttuneApp.DefaultPassword }), HttpStatusCode.OK);
        var wrong = await anon.PostAsJsonAsync("/api/auth/login", new { email, password = "not the right one at all" });
        var body = await Expect.StatusAsync(wrong, HttpStatusCode.Unauthorized);
        Assert.Equal("Failed", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SignIn_AfterFiveWrongPasswords_LocksTheAccount_EvenWithTheRightOne()
    {
        var person = await app.RegisterAsync();
        using var anon = app.CreateClient();
        for (var i = 0; i < 5; i++)
            await anon.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = "wrong guess number " + i });
        var right = await anon.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = person.Password });
        var body = await Expect.StatusAsync(right, HttpStatusCode.Unauthorized);
        Assert.Contains("LockedOut", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_IsHashedWithAtLeast210000Pbkdf2Iterations()
    {
        // Other tests hash with fewer rounds to save time; this app hashes as the app does.
        var real = new ConfiguredApp(new() { [AttuneApp.RealPasswordHashingSetting] = "true" });
        await ((IAsyncLifetime)real).InitializeAsync();
        try
        {
            var person = await real.RegisterAsync();
            var hash = await real.WithDbAsync(db => db.Users.Where(u => u.Id == person.Id).Select(u => u.PasswordHash).SingleAsync());
            var bytes = Convert.FromBase64String(hash!);
            Assert.Equal(0x01, bytes[0]); // Identity v3 format: PBKDF2
            var iterations = (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
            Assert.True(iterations >= 210_000, $"iterations = {iterations}");
            Assert.Equal(PasswordPolicy.HashIterations, iterations);
        }
        finally
        {
            await ((IAsyncLifetime)real).DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoFactor_ThroughTheApi_ThenSignInNeedsACode_AndARecoveryCodeWorksOnce()
    {
        var person = await app.RegisterAsync();
        var setup = await person.Api.PostAsJsonAsync("/api/auth/manage/2fa", new { password = person.Password });
        var key = JsonDocument.Parse(await Expect.StatusAsync(setup, HttpStatusCode.OK)).RootElement.GetProperty("sharedKey").GetString()!;
        var enable = await person.Api.PostAsJsonAsync("/api/auth/manage/2fa", new { enable = true, twoFactorCode = Totp.Code(key), password = person.Password });
        var codes = JsonDocument.Parse(await Expect.StatusAsync(enable, HttpStatusCode.OK)).RootElement.GetProperty("recoveryCodes")
            .EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, codes.Count);

        using var anon = app.CreateClient();
        var passwordOnly = await anon.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = person.Password });
        Assert.Contains("RequiresTwoFactor", await Expect.StatusAsync(passwordOnly, HttpStatusCode.Unauthorized), StringComparison.Ordinal);

        await app.SignInAsync(person.Email, person.Password, Totp.Code(key));

        var recovery = await anon.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = person.Password, twoFactorRecoveryCode = codes[0] });
        await Expect.StatusAsync(recovery, HttpStatusCode.OK);
        var again = await anon.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = person.Password, twoFactorRecoveryCode = codes[0] });
        await Expect.StatusAsync(again, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AuthenticatorKey_IsNotStoredAsPlainText()
    {
        var person = await app.RegisterAsync();
        var setup = await person.Api.PostAsJsonAsync("/api/auth/manage/2fa", new { password = person.Password });
        var key = JsonDocument.Parse(await Expect.StatusAsync(setup, HttpStatusCode.OK)).RootElement.GetProperty("sharedKey").GetString()!;
        var stored = await app.WithDbAsync(db => db.UserTokens.Where(t => t.UserId == person.Id).Select(t => t.Value).ToListAsync());
        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored, v => v != null && v.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangingPassword_ThroughTheApi_EndsOtherSessions_AndKeepsThisOne()
    {
        var person = await app.RegisterAsync();
        var other = await app.SignInAsync(person.Email);
        await Expect.StatusAsync(await other.Api.GetAsync("/api/v1/me"), HttpStatusCode.OK);

        var change = await person.Api.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = person.Password, newPassword = "a brand new calm passphrase" });
        await Expect.StatusAsync(change, HttpStatusCode.OK);

        await Expect.StatusAsync(await other.Api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        using var anon = app.CreateClient();
        var refresh = await anon.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = other.RefreshToken });
        await Expect.StatusAsync(refresh, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RefreshToken_KeepsTheSameSession()
    {
        var person = await app.RegisterAsync();
        using var anon = app.CreateClient();
        var refresh = await anon.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = person.RefreshToken });
        var token = JsonDocument.Parse(await Expect.StatusAsync(refresh, HttpStatusCode.OK)).RootElement.GetProperty("accessToken").GetString();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var sessions = await client.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions");
        Assert.Equal(1, sessions.GetProperty("items").GetArrayLength());
        Assert.True(sessions.GetProperty("items")[0].GetProperty("current").GetBoolean());
    }

    [Fact]
    public async Task ChangingEmail_ThroughTheApi_NeedsTheCurrentPassword()
    {
        var person = await app.RegisterAsync();
        var without = await person.Api.PostAsJsonAsync("/api/auth/manage/info", new { newEmail = AttuneApp.NewEmail("new") });
        await Expect.ProblemNamingAsync(without, "oldPassword");
        var wrong = await person.Api.PostAsJsonAsync("/api/auth/manage/info", new { newEmail = AttuneApp.NewEmail("new"), oldPassword = "not it at all, sorry" });
        await Expect.ProblemNamingAsync(wrong, "oldPassword");
        var newEmail = AttuneApp.NewEmail("new");
        var right = await person.Api.PostAsJsonAsync("/api/auth/manage/info", new { newEmail, oldPassword = person.Password });
        await Expect.StatusAsync(right, HttpStatusCode.OK);
        await app.MailAsync(newEmail, "Confirm your new email");
    }

    [Fact]
    public async Task EndingASession_ThroughTheApi_SignsThatDeviceOut_AndSomeoneElsesSessionIsNotFound()
    {
        var person = await app.RegisterAsync();
        var phone = await app.SignInAsync(person.Email);
        var stranger = await app.RegisterAsync();
        var list = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions");
        var phoneSession = list.GetProperty("items").EnumerateArray().Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();

        await Expect.StatusAsync(await stranger.Api.DeleteAsync($"/api/v1/me/sessions/{phoneSession}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await phone.Api.GetAsync("/api/v1/me"), HttpStatusCode.OK);

        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/me/sessions/{phoneSession}"), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await phone.Api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
    }
}
