using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attune.Data;
using Attune.Infrastructure;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Account;

/// <summary>
/// Passkeys through the pages: who may ask for options, what a bad answer gets, and that
/// someone else's passkey can't be touched. (A real device making and using a passkey is the
/// browser test's, through Chromium's virtual authenticator.)
/// </summary>
public sealed partial class PasskeyTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task CreationOptions_NeedASignedInSessionAndTheFormToken_AndAreForThatPerson()
    {
        var person = await app.RegisterAsync("Rowan");
        using var pages = await app.SignInPagesAsync(person.Email);
        var token = await TokenAsync(pages, "/account/security");

        var withoutToken = await pages.Http.PostAsync("/account/security?handler=PasskeyOptions", null);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        var options = await PostAsync(pages, "/account/security?handler=PasskeyOptions", token);
        var json = JsonDocument.Parse(await Expect.StatusAsync(options, HttpStatusCode.OK)).RootElement;
        Assert.Equal("localhost", json.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal(person.Email, json.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("Rowan", json.GetProperty("user").GetProperty("displayName").GetString());
        Assert.Equal("required", json.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString());
        Assert.Equal("required", json.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
        Assert.True(json.GetProperty("challenge").GetString()!.Length >= 43);

        using var anonymous = app.AnonymousPages();
        var anonymousToken = await TokenAsync(anonymous, "/account/sign-in");
        var notSignedIn = await PostAsync(anonymous, "/account/security?handler=PasskeyOptions", anonymousToken);
        Assert.Equal(HttpStatusCode.Redirect, notSignedIn.StatusCode);
        Assert.Contains("/account/sign-in", notSignedIn.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestOptions_AreForAnyoneWithTheFormToken_AndNameNoAccount()
    {
        using var anonymous = app.AnonymousPages();
        var withoutToken = await anonymous.Http.PostAsync("/account/sign-in?handler=PasskeyOptions", null);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        var token = await TokenAsync(anonymous, "/account/sign-in");
        var options = await PostAsync(anonymous, "/account/sign-in?handler=PasskeyOptions", token);
        var json = JsonDocument.Parse(await Expect.StatusAsync(options, HttpStatusCode.OK)).RootElement;
        Assert.Equal("localhost", json.GetProperty("rpId").GetString());
        Assert.Equal("required", json.GetProperty("userVerification").GetString());
        // The device offers whichever of its passkeys is for Attune: no email asked, none guessed.
        Assert.True(!json.TryGetProperty("allowCredentials", out var allowed) || allowed.GetArrayLength() == 0, json.ToString());
    }

    [Fact]
    public async Task SignInWithAPasskey_WithNoAnswer_OrNotJson_Is400_AndAnAnswerNobodyAskedFor_SignsNobodyIn()
    {
        using var pages = app.AnonymousPages();
        foreach (var bad in new[] { "", "not json at all", new string('x', 70_000) })
        {
            var response = await pages.PostFormAsync("/account/sign-in?handler=Passkey", new() { ["PasskeyCredential"] = bad }, "/account/sign-in");
            var html = await Expect.StatusAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains("That passkey didn&#x27;t work here", html, StringComparison.Ordinal);
        }
        var unasked = await pages.PostFormAsync("/account/sign-in?handler=Passkey",
            new() { ["PasskeyCredential"] = """{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{}}""" }, "/account/sign-in");
        var page = await Expect.StatusAsync(unasked, HttpStatusCode.OK);
        Assert.Contains("That passkey didn&#x27;t work here", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await pages.Http.GetAsync("/account/security")).StatusCode);

        var audited = await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditActions.SignInPasskey && e.Outcome == "failure"));
        Assert.True(audited >= 1);
    }

    [Fact]
    public async Task AddingAPasskey_NeedsAName_AndAnAnswerFromTheDevice_Each400NamingTheField()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);

        var noName = await pages.PostFormAsync("/account/security?handler=AddPasskey", new() { ["NewPasskey.Name"] = " ", ["NewPasskey.Credential"] = "{}" }, "/account/security");
        var html = await Expect.StatusAsync(noName, HttpStatusCode.BadRequest);
        Assert.Contains("Please give this passkey a name", html, StringComparison.Ordinal);
        Assert.Matches(FieldInError("NewPasskey_Name"), html);

        var tooLong = await pages.PostFormAsync("/account/security?handler=AddPasskey", new() { ["NewPasskey.Name"] = new string('a', 61), ["NewPasskey.Credential"] = "{}" }, "/account/security");
        Assert.Contains("60 characters or fewer", await Expect.StatusAsync(tooLong, HttpStatusCode.BadRequest), StringComparison.Ordinal);

        // A well-formed answer with no passkey asked for in this browser: the device made nothing Attune asked for.
        var unasked = await pages.PostFormAsync("/account/security?handler=AddPasskey", new() { ["NewPasskey.Name"] = "My phone", ["NewPasskey.Credential"] = "{}" }, "/account/security");
        Assert.Contains("This device didn&#x27;t make a passkey", await Expect.StatusAsync(unasked, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.DoesNotContain("My phone</strong>", await pages.GetPageAsync("/account/security"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovingSomeoneElsesPasskey_IsNotFound_TheirsStays_AndTheOwnerCanRemoveIt()
    {
        var owner = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var credentialId = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        const string name = "Owl Canary phone 4471";
        await AddPasskeyAsync(owner.Id, credentialId, name);
        var id = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(credentialId);

        // The name is sealed: the database never holds it as text.
        var stored = await app.WithDbAsync(db => db.UserPasskeys.Where(p => p.UserId == owner.Id).Select(p => p.Data.Name).SingleAsync());
        Assert.DoesNotContain("Canary", stored, StringComparison.Ordinal);

        using var strangerPages = await app.SignInPagesAsync(stranger.Email);
        var theirs = await strangerPages.PostFormAsync("/account/security?handler=RemovePasskey", new() { ["id"] = id }, "/account/security");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.DoesNotContain(name, await strangerPages.GetPageAsync("/account/security"), StringComparison.Ordinal);

        var badId = await strangerPages.PostFormAsync("/account/security?handler=RemovePasskey", new() { ["id"] = "not/base64url!" }, "/account/security");
        await Expect.ProblemNamingAsync(badId, "id");

        using var anonymous = app.AnonymousPages();
        var anonymousToken = await TokenAsync(anonymous, "/account/sign-in");
        var notSignedIn = await anonymous.Http.PostAsync("/account/security?handler=RemovePasskey",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = id, ["__RequestVerificationToken"] = anonymousToken }));
        Assert.Equal(HttpStatusCode.Redirect, notSignedIn.StatusCode);

        using var ownerPages = await app.SignInPagesAsync(owner.Email);
        Assert.Contains(name, await ownerPages.GetPageAsync("/account/security"), StringComparison.Ordinal);
        var removed = await ownerPages.PostFormAsync("/account/security?handler=RemovePasskey", new() { ["id"] = id }, "/account/security");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var after = await ownerPages.GetPageAsync("/account/security");
        Assert.DoesNotContain(name, after, StringComparison.Ordinal);
        Assert.Contains("That passkey is removed", after, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.UserPasskeys.CountAsync(p => p.UserId == owner.Id)));

        var audit = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.ActorId == owner.Id && e.Action == AuditActions.PasskeyRemoved).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal("passkey", entry.ObjectType);
        Assert.DoesNotContain(id, entry.ObjectId!, StringComparison.Ordinal);
    }

    private async Task AddPasskeyAsync(string userId, byte[] credentialId, string name)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AttuneUser>>();
        var user = await users.FindByIdAsync(userId);
        var passkey = new UserPasskeyInfo(credentialId, System.Security.Cryptography.RandomNumberGenerator.GetBytes(77), DateTimeOffset.UtcNow, 0, ["internal"],
            isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [], clientDataJson: [])
        { Name = name };
        var result = await users.AddOrUpdatePasskeyAsync(user!, passkey);
        Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Code)));
    }

    private static async Task<string> TokenAsync(PagesClient pages, string url) =>
        WebUtility.HtmlDecode(TokenPattern().Match(await pages.GetPageAsync(url)).Groups[1].Value);

    private static Task<HttpResponseMessage> PostAsync(PagesClient pages, string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Add("RequestVerificationToken", token);
        return pages.Http.SendAsync(request);
    }

    private static Regex FieldInError(string id) => new($"id=\"{id}\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"{id}\"|class=\"input-validation-error[^\"]*\"[^>]*id=\"{id}\"|id=\"{id}\"[^>]*class=\"input-validation-error");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
