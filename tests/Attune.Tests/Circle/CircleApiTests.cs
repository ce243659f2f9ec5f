using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Features.Circle;
using Attune.Tests.Privacy;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Circle;

public sealed class CircleApiTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    /// <summary>Invites <paramref name="email"/>; answers the invitation and the token from the email's link.</summary>
    private async Task<(JsonElement Invitation, string Token)> InviteAsync(Person owner, string email, string name = "Jamie", bool reaches = true, bool shared = true)
    {
        var response = await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email, name, canReceiveReaches = reaches, canSeeShared = shared });
        var invitation = JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.Created)).RootElement;
        var link = Mail.LinkIn(await app.MailAsync(email, "invited"));
        return (invitation, link.Split('/')[^1]);
    }

    private static Task<HttpResponseMessage> AcceptAsync(Person who, string token) =>
        who.Api.PostAsync($"/api/v1/circle/invitations/{token}/accept", null);

    private static async Task<JsonElement> CircleOf(Person who) => await who.Api.GetFromJsonAsync<JsonElement>("/api/v1/circle");

    [Fact]
    public async Task AnInvitation_IsAcceptedOnce_ByTheAccountItWasSentTo()
    {
        var owner = await app.RegisterAsync("Robin Owner");
        var supporter = await app.RegisterAsync("Sam Supporter");
        var stranger = await app.RegisterAsync("Someone Else");
        var (invitation, token) = await InviteAsync(owner, supporter.Email, "Sam from work", reaches: true, shared: false);
        Assert.Equal("Sam from work", invitation.GetProperty("name").GetString());

        // The email names no one and quotes nothing the person wrote.
        var mail = await app.MailAsync(supporter.Email, "invited");
        Assert.DoesNotContain("Robin", mail.Body);
        Assert.DoesNotContain(owner.Email, mail.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Sam from work", mail.Body);
        Assert.Contains("7 days", mail.Body);

        Assert.Equal(HttpStatusCode.Forbidden, (await AcceptAsync(stranger, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AcceptAsync(owner, token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AcceptAsync(supporter, token + "x")).StatusCode);
        var accepted = JsonDocument.Parse(await Expect.StatusAsync(await AcceptAsync(supporter, token), HttpStatusCode.OK)).RootElement;
        Assert.Equal("supporting", accepted.GetProperty("role").GetString());
        Assert.Equal("Robin Owner", accepted.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Gone, (await AcceptAsync(supporter, token)).StatusCode);

        var mine = await CircleOf(owner);
        var member = Assert.Single(mine.GetProperty("supporters").EnumerateArray());
        Assert.Equal("Sam from work", member.GetProperty("name").GetString());
        Assert.True(member.GetProperty("canReceiveReaches").GetBoolean());
        Assert.False(member.GetProperty("canSeeShared").GetBoolean());
        Assert.Equal(1, member.GetProperty("order").GetInt32());
        Assert.Empty(mine.GetProperty("invitations").EnumerateArray());
        Assert.Single((await CircleOf(supporter)).GetProperty("supporting").EnumerateArray());
        Assert.Empty((await CircleOf(stranger)).GetProperty("supporting").EnumerateArray());

        // Inviting them again is refused: they are already here.
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = supporter.Email, name = "Sam" }), "email");
    }

    [Fact]
    public async Task AnExpiredOrCancelledInvitation_CannotBeAccepted()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        var (invitation, token) = await InviteAsync(owner, supporter.Email);
        var id = Guid.Parse(invitation.GetProperty("id").GetString()!);
        await app.WithDbAsync(async db =>
        {
            var row = await db.Set<CircleInvitation>().SingleAsync(i => i.Id == id);
            row.ExpiresAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1);
            return await db.SaveChangesAsync();
        });
        var expired = await AcceptAsync(supporter, token);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
        Assert.Empty((await CircleOf(owner)).GetProperty("supporters").EnumerateArray());

        var (second, secondToken) = await InviteAsync(owner, supporter.Email);
        var stranger = await app.RegisterAsync();
        await Expect.StatusAsync(await stranger.Api.DeleteAsync($"/api/v1/circle/invitations/{second.GetProperty("id").GetString()}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await owner.Api.DeleteAsync($"/api/v1/circle/invitations/{second.GetProperty("id").GetString()}"), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await AcceptAsync(supporter, secondToken)).StatusCode);
    }

    [Theory]
    [InlineData("""{"email":"not an address","name":"Jo"}""", "email")]
    [InlineData("""{"email":"jo@example.test"}""", "name")]
    [InlineData("""{"email":"jo@example.test","name":"   "}""", "name")]
    [InlineData("""{"email":"jo@example.test","name":"Jo","canReceiveReaches":"yes"}""", "canReceiveReaches")]
    public async Task BadInvitations_Answer400NamingTheField_AndSendNothing(string body, string field)
    {
        var owner = await app.RegisterAsync();
        await app.SettledAsync();
        var before = Mail.All(app.MailDirectory).Count;
        await Expect.ProblemNamingAsync(await owner.Api.PostAsync("/api/v1/circle/invitations", new StringContent(body, Encoding.UTF8, "application/json")), field);
        await app.SettledAsync();
        Assert.Equal(before, Mail.All(app.MailDirectory).Count);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<CircleInvitation>().CountAsync(i => i.OwnerId == owner.Id)));
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = owner.Email, name = "Me" }), "email");
    }

    [Fact]
    public async Task EachSide_ChangesOnlyWhatIsTheirs_AndEitherCanEndIt()
    {
        var owner = await app.RegisterAsync();
        var first = await app.RegisterAsync();
        var second = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        await Expect.StatusAsync(await second.Api.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Asia/Tokyo" }), HttpStatusCode.OK);
        var (_, t1) = await InviteAsync(owner, first.Email, "First");
        await Expect.StatusAsync(await AcceptAsync(first, t1), HttpStatusCode.OK);
        var (_, t2) = await InviteAsync(owner, second.Email, "Second");
        var accepted = JsonDocument.Parse(await Expect.StatusAsync(await AcceptAsync(second, t2), HttpStatusCode.OK)).RootElement;
        var memberId = accepted.GetProperty("memberId").GetString();

        await Expect.ProblemNamingAsync(await owner.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { availableFrom = "09:00", availableTo = "17:00" }), "availableFrom");
        await Expect.ProblemNamingAsync(await second.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { canReceiveReaches = false }), "canReceiveReaches");
        await Expect.ProblemNamingAsync(await second.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { availableFrom = "25:00", availableTo = "17:00" }), "availableFrom");
        await Expect.ProblemNamingAsync(await second.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { availableFrom = "09:00" }), "availableTo");
        await Expect.ProblemNamingAsync(await owner.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { order = 0 }), "order");
        await Expect.StatusAsync(await stranger.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { canReceiveReaches = false }), HttpStatusCode.NotFound);

        await Expect.StatusAsync(await second.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { availableFrom = "09:00", availableTo = "17:30", talkNowAnytime = true }), HttpStatusCode.OK);
        await Expect.StatusAsync(await owner.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { order = 1, canSeeShared = false, name = "Second, now first" }), HttpStatusCode.OK);
        var supporters = (await CircleOf(owner)).GetProperty("supporters").EnumerateArray().ToList();
        Assert.Equal(["Second, now first", "First"], supporters.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([1, 2], supporters.Select(s => s.GetProperty("order").GetInt32()));
        var availability = supporters[0].GetProperty("availability");
        Assert.Equal(("09:00", "17:30", "Asia/Tokyo", true), (availability.GetProperty("from").GetString(), availability.GetProperty("to").GetString(),
            availability.GetProperty("timeZone").GetString(), availability.GetProperty("talkNowAnytime").GetBoolean()));
        Assert.False(supporters[0].GetProperty("canSeeShared").GetBoolean());

        await Expect.StatusAsync(await stranger.Api.DeleteAsync($"/api/v1/circle/{memberId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await second.Api.DeleteAsync($"/api/v1/circle/{memberId}"), HttpStatusCode.NoContent);
        Assert.Equal(["First"], (await CircleOf(owner)).GetProperty("supporters").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Empty((await CircleOf(second)).GetProperty("supporting").EnumerateArray());
        await Expect.StatusAsync(await owner.Api.DeleteAsync($"/api/v1/circle/{memberId}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WhoIsInvited_IsSealed_InTheDatabase()
    {
        var owner = await app.RegisterAsync();
        await InviteAsync(owner, "finch.canary.4471@example.test", "Canary Finch Name");
        if (!app.IsPostgres)
        {
            foreach (var file in new[] { app.SqliteFile, app.SqliteFile + "-wal" })
            {
                Assert.False(PrivacyApiTests.FileContains(file, Encoding.UTF8.GetBytes("Canary Finch")), $"{file} holds the supporter's name");
                Assert.False(PrivacyApiTests.FileContains(file, Encoding.UTF8.GetBytes("finch.canary")), $"{file} holds the invited address");
            }
        }
        else
        {
            Assert.Equal(0, await app.WithDbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM \"CircleInvitations\" WHERE position(convert_to('Canary Finch', 'UTF8') in \"Name\") > 0 OR position(convert_to('finch.canary', 'UTF8') in \"Email\") > 0").SingleAsync()));
        }
        var export = await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        Assert.Equal("Canary Finch Name", export.GetProperty("circle").GetProperty("invitations")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task ThePages_Invite_Accept_Guide_Settings_AndEnd()
    {
        var owner = await app.RegisterAsync("Robin Pages");
        var supporter = await app.RegisterAsync();
        using var ownerPages = await app.SignInPagesAsync(owner.Email);
        var sent = await ownerPages.PostFormAsync("/circle?handler=Invite", [F("name", "Alex"), F("email", supporter.Email), F("canReceiveReaches", "true"), F("canReceiveReaches", "false"), F("canSeeShared", "false")], formPage: "/circle");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Contains("Alex", await ownerPages.GetPageAsync("/circle"));
        var link = new Uri(Mail.LinkIn(await app.MailAsync(supporter.Email, "invited")));

        using var supporterPages = await app.SignInPagesAsync(supporter.Email);
        var page = await supporterPages.GetPageAsync(link.AbsolutePath);
        Assert.Contains("Robin Pages", page);
        var accept = await supporterPages.PostFormAsync(link.AbsolutePath, []);
        Assert.Equal("/circle/guide?welcome=true", accept.Headers.Location?.OriginalString);
        Assert.Contains("Holding space", await supporterPages.GetPageAsync("/circle/guide?welcome=true"));

        var member = (await CircleOf(owner)).GetProperty("supporters")[0];
        Assert.False(member.GetProperty("canSeeShared").GetBoolean());
        var memberId = member.GetProperty("memberId").GetString();
        var hours = await supporterPages.PostFormAsync($"/circle/{memberId}", [F("availableFrom", "08:00"), F("availableTo", "20:00"), F("talkNowAnytime", "false")]);
        Assert.Equal(HttpStatusCode.Redirect, hours.StatusCode);
        Assert.Equal("08:00", (await CircleOf(owner)).GetProperty("supporters")[0].GetProperty("availability").GetProperty("from").GetString());

        var stranger = await app.RegisterAsync();
        using var strangerPages = await app.SignInPagesAsync(stranger.Email);
        await Expect.StatusAsync(await strangerPages.Http.GetAsync($"/circle/{memberId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await strangerPages.PostFormAsync($"/circle/{memberId}?handler=End", [], formPage: "/circle"), HttpStatusCode.NotFound);

        var end = await ownerPages.PostFormAsync($"/circle/{memberId}?handler=End", [], formPage: $"/circle/{memberId}");
        Assert.Equal(HttpStatusCode.Redirect, end.StatusCode);
        Assert.Empty((await CircleOf(supporter)).GetProperty("supporting").EnumerateArray());
    }
}
