using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Groups;
using Attune.Features.Sharing;
using Attune.Infrastructure.Crypto;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Groups;

/// <summary>
/// A member's words in a group as their own data: the export holds their own (posts, reflections,
/// check words, board posts, applications and answers, the name they used, private words) opened
/// and readable, and nobody else's; deleting the account withdraws all of it, and their shares, for
/// everyone while the others keep reading the rest; none of it is stored in plain text; and none of
/// it reaches the logs, an email or a live frame.
/// </summary>
public sealed class GroupsPrivacyTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    /// <summary>Everything one person wrote in the group, each a canary of its own.</summary>
    private sealed record Words(string Answer, string CheckWord, string Post, string Reflection, string Board, string BoardReflection, string PrivateWord, string Entry)
    {
        public static Words New(string who)
        {
            var tag = Guid.NewGuid().ToString("N")[..8];
            return new($"{who} answer canary {tag}", $"{who}Word{tag}", $"{who} room post canary {tag}", $"{who} reflection canary {tag}",
                $"{who} board canary {tag}", $"{who} board reflection canary {tag}", $"{who} private word canary {tag}", $"{who} shared entry canary {tag}");
        }

        public IEnumerable<(string Text, string Table, string Column)> Stored =>
        [
            (Answer, "GroupApplications", "Answers"), (CheckWord, "GroupRoomChecks", "Word"), (Post, "GroupRoomPosts", "Body"),
            (Reflection, "GroupRoomWitness", "Text"), (Board, "GroupBoardPosts", "Body"), (BoardReflection, "GroupBoardWitness", "Text"),
            (PrivateWord, "GroupMessages", "Body"),
        ];

        public IEnumerable<string> All => [Answer, CheckWord, Post, Reflection, Board, BoardReflection, PrivateWord, Entry];
    }

    private sealed record Setup(Person F, Person A, Person B, string GroupId, string MeetingId, string AMemberId, string BMemberId, Words AWords, Words BWords,
        string Prompt, string AName, string BName, string AShare, string BShare, string BBoardPost)
    {
        public string Room => $"/api/v1/groups/{GroupId}/meetings/{MeetingId}/room";
    }

    private Task<int?> EpochAsync(Guid keyId) =>
        app.WithDbAsync(db => db.Set<SharedKeyEpoch>().Where(e => e.KeyId == keyId).MaxAsync(e => (int?)e.Epoch));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        JsonDocument.Parse(await Expect.StatusAsync(response, expected)).RootElement;

    /// <summary>
    /// A group people apply to; Ash and Bea apply with answers, are accepted, agree under their group
    /// names, check in, share in a round, witness each other, post and reflect on the board, share a
    /// journal entry with the group and exchange a private word with the facilitator.
    /// </summary>
    private async Task<Setup> SetupAsync()
    {
        var f = await app.RegisterAsync("Facilitator Account Name");
        var a = await app.RegisterAsync("Ash Account Name");
        var b = await app.RegisterAsync("Bea Account Name");
        var aw = Words.New("Ash");
        var bw = Words.New("Bea");
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (aName, bName) = ($"Ash{tag}", $"Bea{tag}");
        var prompt = $"Prompt canary {tag}: what did your younger self need?";

        var group = await Support.Groups.CreateGroupAsync(f, Support.Groups.Body(join: "apply", questions: ["What brings you here?"]));
        await app.WithDbAsync(async db =>
        {
            var row = await db.Set<Group>().FindAsync(Guid.Parse(group.Id));
            row!.Listed = true;
            row.ApprovedAt = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });
        var ids = new List<string>();
        foreach (var (who, words, name) in new[] { (a, aw, aName), (b, bw, bName) })
        {
            var applied = await Support.Groups.ApplyAsync(who, group.Id, [words.Answer]);
            await Support.Groups.AcceptAsync(f, group.Id, applied);
            ids.Add(await Support.Groups.AgreeAsync(who, group.Id, name));
        }
        var s = new Setup(f, a, b, group.Id, group.FirstMeeting, ids[0], ids[1], aw, bw, prompt, aName, bName, "", "", "");

        // The room: check-ins, a round in the order Ash, Bea, and each witnessing the other.
        await Support.Groups.OpenRoomAsync(f, s.GroupId, s.MeetingId);
        async Task<JsonElement> OkAsync(Person who, string type, object? extra = null) =>
            await JsonAsync(await Support.Groups.EventAsync(who, s.GroupId, s.MeetingId, type, await Support.Groups.RoomVersionAsync(f, s.GroupId, s.MeetingId), extra), HttpStatusCode.OK);
        await OkAsync(a, "checkIn", new { suds = 4, word = aw.CheckWord });
        await OkAsync(b, "checkIn", new { suds = 3, word = bw.CheckWord });
        await OkAsync(f, "startRound", new { prompt, order = new[] { s.AMemberId, s.BMemberId } });
        string MyPost(JsonElement view) => view.GetProperty("posts").EnumerateArray().Last(p => p.GetProperty("mine").GetBoolean()).GetProperty("id").GetString()!;
        var aPost = MyPost(await OkAsync(a, "post", new { text = aw.Post }));
        await OkAsync(a, "done");
        var bPost = MyPost(await OkAsync(b, "post", new { text = bw.Post }));
        await OkAsync(b, "done");
        await OkAsync(a, "witness", new { postId = bPost, text = aw.Reflection });
        await OkAsync(b, "witness", new { postId = aPost, text = bw.Reflection });
        await OkAsync(a, "witness", new { postId = bPost, kind = "heart" });

        // The board.
        var board = $"/api/v1/groups/{s.GroupId}/board";
        var aBoard = await Support.Groups.BoardPostAsync(a, s.GroupId, aw.Board);
        var bBoard = await Support.Groups.BoardPostAsync(b, s.GroupId, bw.Board);
        await Expect.StatusAsync(await a.Api.PostAsJsonAsync($"{board}/{bBoard}/witness", new { text = aw.BoardReflection }), HttpStatusCode.OK);
        await Expect.StatusAsync(await b.Api.PostAsJsonAsync($"{board}/{aBoard}/witness", new { text = bw.BoardReflection }), HttpStatusCode.OK);

        // A journal entry each, shared with the group; each reflects on the other's.
        var shares = new List<string>();
        foreach (var (who, words) in new[] { (a, aw), (b, bw) })
        {
            var entry = (await JsonAsync(await who.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "After the rain", text = words.Entry }), HttpStatusCode.Created)).GetProperty("id").GetString();
            shares.Add((await JsonAsync(await who.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = $"group:{s.GroupId}" }), HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }
        await Expect.StatusAsync(await a.Api.PostAsJsonAsync($"/api/v1/shares/{shares[1]}/witness", new { text = "I hear you, from Ash" }), HttpStatusCode.Created);
        await Expect.StatusAsync(await b.Api.PostAsJsonAsync($"/api/v1/shares/{shares[0]}/witness", new { text = "I hear you, from Bea" }), HttpStatusCode.Created);

        // A private word with the facilitator, each way, for each.
        foreach (var (id, who, words) in new[] { (s.AMemberId, a, aw), (s.BMemberId, b, bw) })
        {
            var url = $"/api/v1/groups/{s.GroupId}/members/{id}/messages";
            await Expect.StatusAsync(await f.Api.PostAsJsonAsync(url, new { text = "Would you like a word after?" }), HttpStatusCode.Created);
            await Expect.StatusAsync(await who.Api.PostAsJsonAsync(url, new { text = words.PrivateWord }), HttpStatusCode.Created);
        }
        return s with { AShare = shares[0], BShare = shares[1], BBoardPost = bBoard };
    }

    [Fact]
    public async Task TheExport_HoldsMyOwnWordsInTheGroupReadable_AndNobodyElses()
    {
        var s = await SetupAsync();
        var body = await Expect.StatusAsync(await s.A.Api.GetAsync("/api/v1/me/export"), HttpStatusCode.OK);
        var groups = JsonDocument.Parse(body).RootElement.GetProperty("groups");

        Assert.Equal(s.AName, groups.GetProperty("memberships").EnumerateArray().Single().GetProperty("groupName").GetString());
        Assert.Equal(s.AWords.Answer, groups.GetProperty("applications").EnumerateArray().Single().GetProperty("answers")[0].GetProperty("answer").GetString());
        List<string> Texts(string list, string field = "text") => [.. groups.GetProperty(list).EnumerateArray().Select(x => x.GetProperty(field).GetString() ?? "(no words)")];
        Assert.Equal([s.AWords.CheckWord], Texts("checks", "word"));
        Assert.Equal([s.AWords.Post], Texts("roomPosts"));
        Assert.Equal([s.AWords.Reflection, "(no words)"], Texts("roomWitness")); // the reflection, and the heart (a kind, no words)
        Assert.Equal("heart", groups.GetProperty("roomWitness")[1].GetProperty("kind").GetString());
        Assert.Equal([s.AWords.Board], Texts("boardPosts"));
        Assert.Equal([s.AWords.BoardReflection], Texts("boardWitness"));
        Assert.Equal([s.AWords.PrivateWord], Texts("privateWords"));
        Assert.Equal(["I hear you, from Ash"], Texts("shareReflections"));
        Assert.Contains(s.AWords.Entry, body); // the shared entry is in the journal's part of the export

        // Nobody else's words: not Bea's (nor the title or name on what she shared), not the facilitator's private word or prompt, no account names.
        Assert.Empty(JsonDocument.Parse(body).RootElement.GetProperty("circle").GetProperty("sharedWithMe").EnumerateArray());
        foreach (var other in s.BWords.All.Append(s.BName).Append(s.Prompt).Append("Would you like a word after?").Append("Bea Account Name").Append("I hear you, from Bea"))
            Assert.DoesNotContain(other, body, StringComparison.Ordinal);

        // The facilitator's export holds the prompt they wrote, and none of the members' words.
        var fBody = await Expect.StatusAsync(await s.F.Api.GetAsync("/api/v1/me/export"), HttpStatusCode.OK);
        var meetings = JsonDocument.Parse(fBody).RootElement.GetProperty("groups").GetProperty("facilitating")[0].GetProperty("meetings");
        Assert.Equal(s.Prompt, meetings[0].GetProperty("prompt").GetString());
        foreach (var other in s.AWords.All.Concat(s.BWords.All).Append(s.AName).Append(s.BName))
            Assert.DoesNotContain(other, fBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingAnAccount_WithdrawsTheirWordsAndSharesForEveryone_AndTheOthersStillReadTheRest()
    {
        var s = await SetupAsync();
        var groupId = Guid.Parse(s.GroupId);
        var epochBefore = await EpochAsync(groupId);
        await using var bStream = await LiveEvents.OpenAsync(app, s.B);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = s.A.Password }) };
        await Expect.StatusAsync(await s.A.Api.SendAsync(delete), HttpStatusCode.NoContent);
        Assert.Equal(("group.changed", s.GroupId), await bStream.NextAsync("group.changed"));

        foreach (var reader in new[] { s.B, s.F })
        {
            var room = await Expect.StatusAsync(await reader.Api.GetAsync(s.Room), HttpStatusCode.OK);
            var board = await Expect.StatusAsync(await reader.Api.GetAsync($"/api/v1/groups/{s.GroupId}/board"), HttpStatusCode.OK);
            var members = await Expect.StatusAsync(await reader.Api.GetAsync($"/api/v1/groups/{s.GroupId}/members"), HttpStatusCode.OK);
            foreach (var gone in s.AWords.All.Append(s.AName))
                Assert.DoesNotContain(gone, room + board + members, StringComparison.Ordinal);
            // The rest stays readable under the new epoch's names and the old epoch's words.
            Assert.Contains(s.BWords.Post, room, StringComparison.Ordinal);
            Assert.Contains(s.BWords.CheckWord, room, StringComparison.Ordinal);
            Assert.Contains(s.BWords.Board, board, StringComparison.Ordinal);
            Assert.Contains(s.BName, members, StringComparison.Ordinal);
            Assert.Contains(s.BName, board, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await reader.Api.GetAsync($"/api/v1/shares/{s.AShare}")).StatusCode);
        }
        Assert.DoesNotContain(s.AShare, await Expect.StatusAsync(await s.F.Api.GetAsync("/api/v1/shared-with-me"), HttpStatusCode.OK), StringComparison.Ordinal);
        var bShare = await JsonAsync(await s.B.Api.GetAsync($"/api/v1/shares/{s.BShare}"), HttpStatusCode.OK);
        Assert.Empty(bShare.GetProperty("reflections").EnumerateArray()); // Ash's reflection on Bea's share went too
        var bBoard = (await JsonAsync(await s.B.Api.GetAsync($"/api/v1/groups/{s.GroupId}/board"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single();
        Assert.Empty(bBoard.GetProperty("reflections").EnumerateArray());

        // The key moved on without them, and what is written now opens for those who remain.
        Assert.Equal(epochBefore + 1, await EpochAsync(groupId));
        const string after = "Written after Ash's account went";
        await Support.Groups.BoardPostAsync(s.F, s.GroupId, after);
        Assert.Contains(after, await Expect.StatusAsync(await s.B.Api.GetAsync($"/api/v1/groups/{s.GroupId}/board"), HttpStatusCode.OK), StringComparison.Ordinal);

        // Not a row of theirs is left in the group's tables.
        var aId = s.A.Id;
        Assert.Equal(0, await app.WithDbAsync(async db =>
            await db.Set<GroupMember>().CountAsync(m => m.UserId == aId) + await db.Set<GroupApplication>().CountAsync(x => x.ApplicantId == aId)
            + await db.Set<GroupRoomPost>().CountAsync(p => p.AuthorId == aId) + await db.Set<GroupRoomWitness>().CountAsync(w => w.AuthorId == aId)
            + await db.Set<GroupRoomCheck>().CountAsync(c => c.UserId == aId) + await db.Set<GroupBoardPost>().CountAsync(p => p.AuthorId == aId)
            + await db.Set<GroupBoardWitness>().CountAsync(w => w.AuthorId == aId) + await db.Set<Share>().CountAsync(x => x.OwnerId == aId)
            + await db.Set<WitnessReflection>().CountAsync(w => w.AuthorId == aId) + await db.Set<SharedKeyCopy>().CountAsync(c => c.HolderId == aId)));

        // The facilitator deleting theirs takes the group with it: the member finds nothing, and the key is gone.
        using var deleteF = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = s.F.Password }) };
        await Expect.StatusAsync(await s.F.Api.SendAsync(deleteF), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await s.B.Api.GetAsync($"/api/v1/groups/{s.GroupId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.B.Api.GetAsync($"/api/v1/shares/{s.BShare}")).StatusCode);
        Assert.Null(await EpochAsync(groupId));
    }

    [Fact]
    public async Task NothingWrittenInAGroup_IsStoredInPlainText()
    {
        var s = await SetupAsync();
        foreach (var words in new[] { s.AWords, s.BWords })
            foreach (var (text, table, column) in words.Stored)
                Assert.False(await app.HoldsPlaintextAsync(text, table, column), $"'{text}' is stored in plain text in {table}.{column}");
        Assert.False(await app.HoldsPlaintextAsync(s.AName, "GroupMembers", "GroupName"), "The name the group sees is stored in plain text");
        Assert.False(await app.HoldsPlaintextAsync(s.Prompt, "GroupRooms", "Prompt"), "The facilitator's prompt is stored in plain text");
        Assert.False(await app.HoldsPlaintextAsync("I hear you, from Ash", "WitnessReflections", "Text"), "A reflection on a shared item is stored in plain text");
    }

    [Fact]
    public async Task NoGroupText_ReachesTheLogsAnEmailOrALiveFrame()
    {
        await using var watch = await LiveEvents.OpenAsync(app, await app.RegisterAsync());
        var s = await SetupAsync();
        await using var bStream = await LiveEvents.OpenAsync(app, s.B);
        // Closing the meeting sends its notices (attendance, a missed meeting); removing someone sends them theirs.
        var version = await Support.Groups.RoomVersionAsync(s.F, s.GroupId, s.MeetingId);
        await Expect.StatusAsync(await Support.Groups.EventAsync(s.F, s.GroupId, s.MeetingId, "close", version), HttpStatusCode.OK);
        var reason = "Reason canary " + Guid.NewGuid().ToString("N")[..8];
        using var remove = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/groups/{s.GroupId}/members/{s.AMemberId}") { Content = JsonContent.Create(new { reason }) };
        await Expect.StatusAsync(await s.F.Api.SendAsync(remove), HttpStatusCode.NoContent);
        await app.WithDbAsync(db => db.Set<Attune.Infrastructure.Jobs.Job>().Where(j => j.DoneAt == null).ExecuteUpdateAsync(u => u.SetProperty(j => j.DueAt, DateTime.UtcNow)));
        app.Service<Attune.Infrastructure.Jobs.JobRunner>().Wake();
        await app.SettledAsync();

        var secrets = s.AWords.All.Concat(s.BWords.All).Append(s.AName).Append(s.BName).Append(s.Prompt).Append(reason).ToList();
        var logLeaks = app.Logs.Lines.Where(l => secrets.Any(x => l.Contains(x, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(logLeaks.Count == 0, "Group text in the logs:\n" + string.Join("\n", logLeaks));
        var mail = Mail.All(app.MailDirectory);
        var mailLeaks = mail.Where(m => secrets.Any(x => m.Subject.Contains(x, StringComparison.OrdinalIgnoreCase) || m.Body.Contains(x, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(mailLeaks.Count == 0, "Group text in an email:\n" + string.Join("\n", mailLeaks.Select(m => m.Subject + "\n" + m.Body)));
        // The room's close reaches B's stream over the network: wait for its first frame, then take what has come.
        using var arrived = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await bStream.Frames.Reader.ReadAsync(arrived.Token);
        var frames = new List<string> { first.Type + " " + first.Data };
        while (bStream.Frames.Reader.TryRead(out var e)) frames.Add(e.Type + " " + e.Data);
        Assert.DoesNotContain(frames, e => secrets.Any(x => e.Contains(x, StringComparison.OrdinalIgnoreCase)));
        Assert.False(watch.Events.Reader.TryRead(out var stray), $"Someone outside the group got {stray}");
    }
}
