using Attune.Features.Account;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Features.Privacy;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Privacy;

public sealed class PrivacyApiTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task Export_HoldsEverySectionDecrypted_AndIsRecordedInTheSecurityLog()
    {
        var person = await app.RegisterAsync("Juniper Canary 4471");
        var export = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        Assert.Equal("attune-export/1", export.GetProperty("format").GetString());
        Assert.Equal("Juniper Canary 4471", export.GetProperty("account").GetProperty("displayName").GetString());
        Assert.Equal(person.Email, export.GetProperty("account").GetProperty("email").GetString());
        Assert.True(export.GetProperty("sessions").GetArrayLength() >= 1);
        Assert.Contains(export.GetProperty("securityEvents").EnumerateArray(), e => e.GetProperty("action").GetString() == "signin");
        Assert.Equal(JsonValueKind.Array, export.GetProperty("accessLog").ValueKind);

        var log = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/security-log");
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "data.exported");
    }

    [Fact]
    public async Task Export_ForSomeoneElse_NeverShowsTheOwnersData()
    {
        var owner = await app.RegisterAsync("Owner Canary 9923");
        var stranger = await app.RegisterAsync();
        var body = await (await stranger.Api.GetAsync("/api/v1/me/export")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Owner Canary 9923", body, StringComparison.Ordinal);
        Assert.DoesNotContain(owner.Email, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_ListsReadsBySomeoneElse_NewestFirst_WithPaging_AndOnlyToTheOwner()
    {
        var owner = await app.RegisterAsync();
        var reader = await app.RegisterAsync("Sam the Supporter");
        using (var scope = app.Services.CreateScope())
        {
            // A stand-in for a feature that shows the owner's item to someone else.
            var log = scope.ServiceProvider.GetRequiredService<AccessLog>();
            for (var i = 0; i < 3; i++) await log.RecordAsync(owner.Id, reader.Id, "read", "journal", "item-" + i);
            await log.RecordAsync(owner.Id, owner.Id, "read", "journal", "own-read");
        }
        var first = await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log?limit=2");
        var items = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("item-2", items[0].GetProperty("itemId").GetString());
        Assert.Equal("Sam the Supporter", items[0].GetProperty("actorName").GetString());
        Assert.Equal(reader.Id, items[0].GetProperty("actorId").GetString());
        var next = first.GetProperty("next").GetString();
        Assert.NotNull(next);
        var second = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/me/access-log?limit=2&cursor={next}");
        var rest = second.GetProperty("items").EnumerateArray().ToList();
        Assert.Single(rest);
        Assert.Equal("item-0", rest[0].GetProperty("itemId").GetString());
        Assert.True(second.GetProperty("next").ValueKind == JsonValueKind.Null);

        var readersOwn = await reader.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log");
        Assert.Equal(0, readersOwn.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Delete_WithWrongPassword_AnswersProblemNamingPassword_AndDeletesNothing()
    {
        var person = await app.RegisterAsync("Still Here");
        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = "not my password at all" }) };
        await Expect.ProblemNamingAsync(await person.Api.SendAsync(request), "password");
        var me = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("Still Here", me.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Delete_RemovesTheAccountAndEverythingItOwns_AndEndsItsSessions()
    {
        var person = await app.RegisterAsync("Leaving Canary 5150");
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", new { helpers = new[] { "a friend" } }), HttpStatusCode.OK);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 1, 1, 1, 1, 1, 1, 1 } }), HttpStatusCode.Created);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/practices/safe-place/sessions", new { sudsBefore = 1 }), HttpStatusCode.Created);
        var other = await app.SignInAsync(person.Email);
        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = person.Password }) };
        await Expect.StatusAsync(await person.Api.SendAsync(request), HttpStatusCode.NoContent);

        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
        await Expect.StatusAsync(await other.Api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
        using var anon = app.CreateClient();
        await Expect.StatusAsync(await anon.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = person.Password }), HttpStatusCode.Unauthorized);

        var left = await app.WithDbAsync(async db => new[]
        {
            await db.Users.CountAsync(u => u.Id == person.Id),
            await db.PersonKeys.CountAsync(k => k.UserId == person.Id),
            await db.Set<UserSession>().CountAsync(s => s.UserId == person.Id),
            await db.Set<AccessLogEntry>().CountAsync(e => e.OwnerId == person.Id),
            await db.AuditEvents.CountAsync(e => e.ActorId == person.Id),
            await db.UserTokens.CountAsync(t => t.UserId == person.Id),
            await db.Set<Attune.Features.Safety.SafetyPlan>().CountAsync(p => p.OwnerId == person.Id),
            await db.Set<Attune.Features.Assessments.CheckIn>().CountAsync(c => c.OwnerId == person.Id),
            await db.Set<Attune.Features.Journey.PracticeSession>().CountAsync(c => c.OwnerId == person.Id),
        });
        Assert.All(left, count => Assert.Equal(0, count));
    }

    [SqliteFact]
    public async Task Delete_LeavesNoTextOrCiphertextOfThePersonInTheSqliteFile()
    {
        const string canary = "Deleted Canary Marigold 7781";
        var person = await app.RegisterAsync(canary);
        var (wrappedKey, sealedName) = await app.WithDbAsync(async db =>
        {
            var key = await db.PersonKeys.AsNoTracking().SingleAsync(k => k.UserId == person.Id);
            var raw = await db.Database.SqlQuery<byte[]>($"SELECT \"DisplayNameSealed\" AS \"Value\" FROM \"AspNetUsers\" WHERE \"Id\" = {person.Id}").SingleAsync();
            return (key.WrappedKey, raw);
        });
        Assert.True(FileContains(app.SqliteFile, Encoding.UTF8.GetBytes(person.Email)) || FileContains(app.SqliteFile + "-wal", Encoding.UTF8.GetBytes(person.Email)),
            "Before deletion the email should be findable (the scan itself must be able to fail).");

        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = person.Password }) };
        await Expect.StatusAsync(await person.Api.SendAsync(request), HttpStatusCode.NoContent);

        foreach (var file in new[] { app.SqliteFile, app.SqliteFile + "-wal" })
        {
            Assert.False(FileContains(file, Encoding.UTF8.GetBytes(canary)), $"{file} holds the display name");
            Assert.False(FileContains(file, Encoding.UTF8.GetBytes(person.Email)), $"{file} holds the email");
            Assert.False(FileContains(file, Encoding.UTF8.GetBytes(person.Email.ToUpperInvariant())), $"{file} holds the normalized email");
            Assert.False(FileContains(file, wrappedKey), $"{file} holds the wrapped data key");
            Assert.False(FileContains(file, sealedName), $"{file} holds the sealed display name");
        }
        var integrity = await app.WithDbAsync(db => db.Database.SqlQuery<string>($"PRAGMA integrity_check").ToListAsync());
        Assert.Equal(["ok"], integrity);
    }

    internal static bool FileContains(string path, byte[] needle)
    {
        if (!File.Exists(path)) return false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.GetBuffer().AsSpan(0, (int)memory.Length).IndexOf(needle) >= 0;
    }
}
