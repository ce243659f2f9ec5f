using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Features.Journal;
using Attune.Infrastructure.Images;
using Attune.Tests.Privacy;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Journal;

public sealed class JournalApiTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static async Task<JsonElement> CreateAsync(Person person, object body)
    {
        var response = await person.Api.PostAsJsonAsync("/api/v1/journal", body);
        var json = JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.Created)).RootElement;
        Assert.Equal($"/api/v1/journal/{json.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return json;
    }

    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;

    /// <summary>One valid entry of each kind, each carrying its own canary words.</summary>
    public static Dictionary<string, object> OneOfEach(string canary) => new()
    {
        ["free"] = new { kind = "free", title = $"{canary} free title", text = $"{canary} free text", tags = new[] { $"{canary}-tag" }, mood = new { valence = -2, energy = 3 } },
        ["prompted"] = new { kind = "prompted", promptId = "p1-steady-place", text = $"{canary} prompted text" },
        ["letter"] = new { kind = "letter", text = $"{canary} dear little one", letter = new { direction = "toYounger", age = 8, photo = Convert.ToBase64String(TestImages.Jpeg(exifText: $"{canary} GPS")) } },
        ["dialogue"] = new { kind = "dialogue", dialogue = new { age = 7, turns = new[] { new { speaker = "now", text = $"{canary} how are you" }, new { speaker = "younger", text = $"{canary} scared" } } } },
        ["memory"] = new { kind = "memory", memory = new { age = 9, place = $"{canary} kitchen", people = $"{canary} dad", whatHappened = $"{canary} shouting", felt = $"{canary} small", needed = $"{canary} a hug", knowNow = $"{canary} not my fault", parked = false } },
        ["body"] = new { kind = "body", text = $"{canary} body note", body = new { regions = new[] { new { region = "front:chest", sensations = new[] { "tight", $"{canary}-word" }, intensity = 7 } } } },
        ["drawing"] = new { kind = "drawing", text = $"{canary} drawing words", drawing = new { png = Convert.ToBase64String(TestImages.Png(seed: canary.Length, textChunk: $"{canary} camera")) } },
    };

    [Fact]
    public async Task EveryKind_IsCreatedReadChangedAndDeleted()
    {
        var person = await app.RegisterAsync();
        foreach (var (kind, body) in OneOfEach("Roundtrip"))
        {
            var created = await CreateAsync(person, body);
            Assert.Equal(kind, created.GetProperty("kind").GetString());
            Assert.False(created.GetProperty("draft").GetBoolean());
            var id = Id(created);
            var read = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/journal/{id}");
            Assert.Equal(kind, read.GetProperty("kind").GetString());
            switch (kind)
            {
                case "free":
                    Assert.Equal("Roundtrip free title", read.GetProperty("title").GetString());
                    Assert.Equal(["Roundtrip-tag"], read.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
                    Assert.Equal(-2, read.GetProperty("mood").GetProperty("valence").GetInt32());
                    break;
                case "prompted": Assert.Equal("p1-steady-place", read.GetProperty("promptId").GetString()); break;
                case "letter":
                    Assert.Equal(8, read.GetProperty("letter").GetProperty("age").GetInt32());
                    Assert.True(read.GetProperty("letter").GetProperty("hasPhoto").GetBoolean());
                    break;
                case "dialogue":
                    var turns = read.GetProperty("dialogue").GetProperty("turns").EnumerateArray().ToList();
                    Assert.Equal(["now", "younger"], turns.Select(t => t.GetProperty("speaker").GetString()));
                    Assert.Equal("Roundtrip scared", turns[1].GetProperty("text").GetString());
                    break;
                case "memory": Assert.Equal("Roundtrip not my fault", read.GetProperty("memory").GetProperty("knowNow").GetString()); break;
                case "body": Assert.Equal(7, read.GetProperty("body").GetProperty("regions")[0].GetProperty("intensity").GetInt32()); break;
                case "drawing":
                    var png = Convert.FromBase64String(read.GetProperty("drawing").GetProperty("png").GetString()!);
                    Assert.True(png.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
                    break;
            }

            // Change it: the title, and (for dialogue) reorder and edit the turns.
            var update = kind == "dialogue"
                ? (object)new { title = "Changed", dialogue = new { age = 6, turns = new[] { new { speaker = "younger", text = "first now" }, new { speaker = "now", text = "edited" } } } }
                : JsonSerializer.Deserialize<Dictionary<string, object>>(JsonSerializer.Serialize(body))!.Where(kv => kv.Key is not ("kind" or "title")).Append(new("title", "Changed")).ToDictionary();
            var updated = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/journal/{id}", update), HttpStatusCode.OK)).RootElement;
            Assert.Equal("Changed", updated.GetProperty("title").GetString());
            Assert.True(updated.GetProperty("updatedAt").GetDateTimeOffset() >= created.GetProperty("updatedAt").GetDateTimeOffset());
            if (kind == "dialogue") Assert.Equal("younger", updated.GetProperty("dialogue").GetProperty("turns")[0].GetProperty("speaker").GetString());

            await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/journal/{id}"), HttpStatusCode.NoContent);
            await Expect.StatusAsync(await person.Api.GetAsync($"/api/v1/journal/{id}"), HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task TheDatabase_HoldsNoPlaintext_OfAnyKind_DrawingsAndPhotosIncluded()
    {
        const string canary = "Journal Canary Wren 5521";
        var person = await app.RegisterAsync();
        var ids = new List<string>();
        foreach (var body in OneOfEach(canary).Values) ids.Add(Id(await CreateAsync(person, body)));
        var drawing = TestImages.Png(seed: canary.Length);
        var idat = drawing.AsSpan(drawing.Length - 60, 40).ToArray(); // a run of compressed pixel bytes

        var rows = await app.WithDbAsync(db => db.Set<JournalEntry>().AsNoTracking().Where(e => e.OwnerId == person.Id).ToListAsync());
        Assert.Equal(7, rows.Count);
        if (!app.IsPostgres)
        {
            foreach (var file in new[] { app.SqliteFile, app.SqliteFile + "-wal" })
            {
                Assert.False(PrivacyApiTests.FileContains(file, Encoding.UTF8.GetBytes("Canary Wren")), $"{file} holds journal text");
                Assert.False(PrivacyApiTests.FileContains(file, Encoding.UTF8.GetBytes("canary wren")), $"{file} holds journal search text");
                Assert.False(PrivacyApiTests.FileContains(file, idat), $"{file} holds the drawing's pixels");
            }
        }
        else
        {
            Assert.Equal(0, await app.WithDbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM \"JournalEntries\" WHERE position(convert_to('Canary Wren', 'UTF8') in \"Content\") > 0 OR position(convert_to('canary wren', 'UTF8') in \"SearchText\") > 0 OR position({idat} in coalesce(\"Image\", ''::bytea)) > 0").SingleAsync()));
        }
        // And it all reads back.
        var all = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal?q=wren");
        Assert.Equal(7, all.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Images_LoseTheirMetadata_AndAreServedOnlyToTheirOwner()
    {
        var person = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var png = TestImages.Png(textChunk: "Taken at 12 Secret Lane");
        var drawing = await CreateAsync(person, new { kind = "drawing", drawing = new { png = Convert.ToBase64String(png) } });
        var stored = await person.Api.GetByteArrayAsync($"/api/v1/journal/{Id(drawing)}/image");
        Assert.True(stored.AsSpan().StartsWith(png.AsSpan(0, 8)));
        Assert.True(stored.AsSpan().IndexOf("Secret Lane"u8) < 0, "The PNG text chunk was kept");
        Assert.NotNull(PngPixels.Decode(stored));

        var letter = await CreateAsync(person, new { kind = "letter", text = "x", letter = new { direction = "fromYounger", age = 6, photo = Convert.ToBase64String(TestImages.Jpeg(exifText: "GPS 51.5N", comment: "Camera XYZ")) } });
        var jpeg = await person.Api.GetByteArrayAsync($"/api/v1/journal/{Id(letter)}/image");
        Assert.Equal(0xD8, jpeg[1]);
        Assert.True(jpeg.AsSpan().IndexOf("GPS 51.5N"u8) < 0 && jpeg.AsSpan().IndexOf("Camera XYZ"u8) < 0, "JPEG metadata was kept");
        Assert.True(jpeg.AsSpan().IndexOf("JFIF"u8) >= 0);

        // Between the scans of a progressive JPEG too.
        var progressive = await CreateAsync(person, new { kind = "letter", text = "x", letter = new { direction = "fromYounger", age = 6, photo = Convert.ToBase64String(TestImages.Jpeg(betweenScans: "GPS 48.8N between scans")) } });
        var kept = await person.Api.GetByteArrayAsync($"/api/v1/journal/{Id(progressive)}/image");
        Assert.True(kept.AsSpan().IndexOf("between scans"u8) < 0, "Metadata between the scans was kept");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(System.Text.Encoding.Latin1.GetString(kept), "\xFF\xDA"));
        Assert.True(kept.AsSpan().EndsWith((byte[])[0xFF, 0xD9]));

        await Expect.StatusAsync(await stranger.Api.GetAsync($"/api/v1/journal/{Id(drawing)}/image"), HttpStatusCode.NotFound);

        // Removing the photo on update; leaving it out keeps it.
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/journal/{Id(letter)}", new { text = "y", letter = new { direction = "fromYounger", age = 6 } }), HttpStatusCode.OK);
        await Expect.StatusAsync(await person.Api.GetAsync($"/api/v1/journal/{Id(letter)}/image"), HttpStatusCode.OK);
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/journal/{Id(letter)}", new { text = "y", letter = new { direction = "fromYounger", age = 6, photo = "" } }), HttpStatusCode.OK);
        await Expect.StatusAsync(await person.Api.GetAsync($"/api/v1/journal/{Id(letter)}/image"), HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{ "kind": "poem", "text": "x" }""", "kind" },
        { """{ "text": "x" }""", "kind" },
        { """{ "kind": "free", "text": "x", "letter": { "direction": "toYounger" } }""", "letter" },
        { """{ "kind": "memory", "text": "x", "dialogue": { "turns": [] } }""", "dialogue" },
        { """{ "kind": "free", "text": "x", "promptId": "p1-steady-place" }""", "promptId" },
        { """{ "kind": "prompted", "text": "x", "promptId": "no-such-prompt" }""", "promptId" },
        { """{ "kind": "dialogue", "dialogue": { "age": 7, "turns": [ { "speaker": "now", "text": "hi" }, { "speaker": "younger", "text": "  " } ] } }""", "dialogue.turns[1].text" },
        { """{ "kind": "dialogue", "dialogue": { "age": 7, "turns": [ { "speaker": "grown-up", "text": "hi" } ] } }""", "dialogue.turns[0].speaker" },
        { """{ "kind": "dialogue", "dialogue": { "age": 19, "turns": [ { "speaker": "now", "text": "hi" } ] } }""", "dialogue.age" },
        { """{ "kind": "memory", "memory": { "age": -1, "whatHappened": "x" } }""", "memory.age" },
        { """{ "kind": "letter", "text": "x", "letter": { "direction": "toYounger", "age": 40 } }""", "letter.age" },
        { """{ "kind": "letter", "text": "x", "letter": { "direction": "sideways" } }""", "letter.direction" },
        { """{ "kind": "letter", "text": "x", "letter": { "direction": "toYounger", "photo": "R0lGODlhAQABAAAAACw=" } }""", "letter.photo" },
        { """{ "kind": "body", "body": { "regions": [ { "region": "front:tail", "intensity": 3 } ] } }""", "body.regions[0].region" },
        { """{ "kind": "body", "body": { "regions": [ { "region": "front:chest", "intensity": 11 } ] } }""", "body.regions[0].intensity" },
        { """{ "kind": "drawing", "drawing": { "png": "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA==" } }""", "drawing.png" },
        { """{ "kind": "drawing", "drawing": { "png": "not base64 at all!" } }""", "drawing.png" },
        { """{ "kind": "drawing", "drawing": { "png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB" } }""", "drawing.png" },
        { """{ "kind": "drawing" }""", "drawing.png" },
        { """{ "kind": "free", "text": "" }""", "text" },
        { """{ "kind": "free", "text": "x", "mood": { "valence": 9 } }""", "mood.valence" },
        { """{ "kind": "free", "text": "x", "tags": [ "" ] }""", "tags[0]" },
        { """{ "kind": "free", "text": "x", "practiceSessionId": "0193a8a0-0000-7000-8000-000000000000" }""", "practiceSessionId" },
        { """{ "kind": "free", "text": 5 }""", "text" },
        { """{ "kind": "free", "text": "x" """, "body" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_IsA400NamingTheField_AndNothingIsSaved(string json, string field)
    {
        var person = await app.RegisterAsync();
        var response = await person.Api.PostAsync("/api/v1/journal", new StringContent(json, Encoding.UTF8, "application/json"));
        await Expect.ProblemNamingAsync(response, field);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<JournalEntry>().CountAsync(e => e.OwnerId == person.Id)));
    }

    [Fact]
    public async Task OversizedText_AndOversizedImages_AreRefused_AndAFailedUpdateChangesNothing()
    {
        var person = await app.RegisterAsync();
        var entry = await CreateAsync(person, new { kind = "free", title = "Kept", text = "kept words" });
        await Expect.ProblemNamingAsync(await person.Api.PutAsJsonAsync($"/api/v1/journal/{Id(entry)}", new { title = "Lost", text = new string('a', Features.Journal.Journal.MaxText + 1) }), "text");
        await Expect.ProblemNamingAsync(await person.Api.PutAsJsonAsync($"/api/v1/journal/{Id(entry)}", new { kind = "letter", text = "x" }), "kind");
        var read = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/journal/{Id(entry)}");
        Assert.Equal("Kept", read.GetProperty("title").GetString());
        Assert.Equal("kept words", read.GetProperty("text").GetString());

        var huge = TestImages.Png(width: 5000, height: 2);
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "drawing", drawing = new { png = Convert.ToBase64String(huge) } }), "drawing.png");
    }

    [Fact]
    public async Task Drafts_MayBeIncomplete_ButStillChecked()
    {
        var person = await app.RegisterAsync();
        var draft = await CreateAsync(person, new { kind = "memory", draft = true, memory = new { age = 5 } });
        Assert.True(draft.GetProperty("draft").GetBoolean());
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "memory", draft = true, memory = new { age = 25 } }), "memory.age");
        var finished = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/journal/{Id(draft)}",
            new { draft = false, memory = new { age = 5, whatHappened = "the dog ran off", parked = true } }), HttpStatusCode.OK)).RootElement;
        Assert.False(finished.GetProperty("draft").GetBoolean());
        Assert.True(finished.GetProperty("memory").GetProperty("parked").GetBoolean());
        var parked = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal?kind=memory&parked=true");
        Assert.Equal(Id(draft), parked.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task SomeoneElsesEntry_Answers404_ForReadChangeAndDelete_AndStaysAsItWas()
    {
        var owner = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var entry = await CreateAsync(owner, new { kind = "free", text = "only mine" });
        var url = $"/api/v1/journal/{Id(entry)}";
        await Expect.StatusAsync(await stranger.Api.GetAsync(url), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PutAsJsonAsync(url, new { kind = "free", text = "changed by someone else" }), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.DeleteAsync(url), HttpStatusCode.NotFound);
        var list = await stranger.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal?q=only");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        Assert.Equal("only mine", (await owner.Api.GetFromJsonAsync<JsonElement>(url)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task ThePagesHandlers_AnswerSomeoneElse404_ForImageSaveAndDelete()
    {
        var owner = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var entry = await CreateAsync(owner, new { kind = "drawing", text = "mine alone", drawing = new { png = Convert.ToBase64String(TestImages.Png()) } });
        using var pages = await app.SignInPagesAsync(stranger.Email);

        await Expect.StatusAsync(await pages.Http.GetAsync($"/journal/{Id(entry)}?handler=Image"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await pages.PostFormAsync($"/journal/{Id(entry)}?handler=Delete", [], formPage: "/journal"), HttpStatusCode.NotFound);

        var editor = await pages.GetPageAsync("/journal/new/free");
        var token = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(editor, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        using var save = new HttpRequestMessage(HttpMethod.Post, $"/journal/{Id(entry)}/edit?handler=Save") { Content = JsonContent.Create(new { kind = "drawing", text = "changed by someone else" }) };
        save.Headers.Add("RequestVerificationToken", token);
        await Expect.StatusAsync(await pages.Http.SendAsync(save), HttpStatusCode.NotFound);

        Assert.Equal("mine alone", (await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/journal/{Id(entry)}")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Search_FindsWordsInEveryKindsFields_WithFiltersAndPages()
    {
        var person = await app.RegisterAsync();
        await CreateAsync(person, new { kind = "dialogue", tags = new[] { "school" }, dialogue = new { age = 7, turns = new[] { new { speaker = "younger", text = "The playground felt huge" } } } });
        await CreateAsync(person, new { kind = "memory", memory = new { age = 8, whatHappened = "Recess", knowNow = "I was brave on the PLAYGROUND" } });
        await CreateAsync(person, new { kind = "body", body = new { regions = new[] { new { region = "back:upper-back", sensations = new[] { "heavy" }, intensity = 4 } } } });
        await CreateAsync(person, new { kind = "free", text = "Café morning, nothing about school", tags = new[] { "School" } });
        for (var i = 0; i < 5; i++) await CreateAsync(person, new { kind = "free", text = $"filler {i}" });

        async Task<List<string>> Kinds(string query) =>
            (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal?" + query)).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToList();

        Assert.Equal(["memory", "dialogue"], await Kinds("q=playground"));
        Assert.Equal(["memory"], await Kinds("q=playground&kind=memory"));
        Assert.Equal(["body"], await Kinds("q=heavy"));
        Assert.Equal(["body"], await Kinds("q=upper back"));
        Assert.Equal(["free"], await Kinds("q=cafe"));
        Assert.Equal(["free", "dialogue"], await Kinds("tag=school"));
        Assert.Empty(await Kinds("q=playground&from=2000-01-01&to=2000-12-31"));
        Assert.Equal(2, (await Kinds($"q=playground&from={DateTime.UtcNow:yyyy-MM-dd}")).Count);
        await Expect.ProblemNamingAsync(await person.Api.GetAsync("/api/v1/journal?from=2026-02-01&to=2026-01-01"), "from");
        await Expect.ProblemNamingAsync(await person.Api.GetAsync("/api/v1/journal?kind=poem"), "kind");
        await Expect.ProblemNamingAsync(await person.Api.GetAsync("/api/v1/journal?from=yesterday"), "from");
        await Expect.ProblemNamingAsync(await person.Api.GetAsync("/api/v1/journal?cursor=zzz"), "cursor");

        // Pages of 4 cover all 9, newest first, without repeats.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal?limit=4" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next").GetString();
        } while (cursor is not null);
        Assert.Equal(9, seen.Distinct().Count());
        Assert.Equal(9, seen.Count);
    }

    [Fact]
    public async Task Search_FollowsEveryChange_AtOnce()
    {
        var person = await app.RegisterAsync();
        async Task<int> Count(string q) => (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal?q=" + q)).GetProperty("items").GetArrayLength();
        var entry = await CreateAsync(person, new { kind = "free", text = "an otter by the river", tags = new[] { "walks" } });
        Assert.Equal(1, await Count("otter"));
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/journal/{Id(entry)}", new { text = "a heron by the river", tags = new[] { "birds" } }), HttpStatusCode.OK);
        Assert.Equal(0, await Count("otter"));
        Assert.Equal(1, await Count("heron"));
        Assert.Equal("a heron by the river", (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal?q=heron")).GetProperty("items")[0].GetProperty("text").GetString());
        Assert.Equal(["birds"], (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal/tags")).GetProperty("items").EnumerateArray().Select(t => t.GetString()));
        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/journal/{Id(entry)}"), HttpStatusCode.NoContent);
        Assert.Equal(0, await Count("heron"));
    }

    [Fact]
    public async Task CrisisWords_AreFlaggedToThePersonOnly_AndEverydaySayingsAreNot()
    {
        var person = await app.RegisterAsync();
        var mailBefore = MailCount();
        var worrying = await CreateAsync(person, new { kind = "free", text = "Some nights I want to die." });
        Assert.True(worrying.GetProperty("crisisLanguage").GetBoolean());
        var everyday = await CreateAsync(person, new { kind = "free", text = "I could kill for a coffee. That meeting was murder." });
        Assert.False(everyday.GetProperty("crisisLanguage").GetBoolean());
        Assert.Equal(mailBefore, MailCount());
        int MailCount() => Directory.Exists(app.MailDirectory) ? Directory.GetFiles(app.MailDirectory).Length : 0;
    }

    [Fact]
    public async Task Export_GivesMarkdownFilesWithImages_APdfWithTheText_AndASectionInTheFullExport()
    {
        var person = await app.RegisterAsync();
        await CreateAsync(person, new { kind = "letter", title = "To little me", text = "You were always enough.", letter = new { direction = "toYounger", age = 7 } });
        await CreateAsync(person, new { kind = "drawing", title = "Storm", drawing = new { png = Convert.ToBase64String(TestImages.Png(seed: 9)) } });
        await CreateAsync(person, new { kind = "dialogue", dialogue = new { age = 6, turns = new[] { new { speaker = "younger", text = "Will you stay?" } } } });

        var zipBytes = await person.Api.GetByteArrayAsync("/api/v1/journal/export?format=zip");
        using var zip = new ZipArchive(new MemoryStream(zipBytes));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", names);
        Assert.Equal(3, names.Count(n => n.StartsWith("entries/", StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal)));
        var image = Assert.Single(names, n => n.StartsWith("images/", StringComparison.Ordinal));
        var markdown = string.Join("\n", zip.Entries.Where(e => e.FullName.EndsWith(".md", StringComparison.Ordinal)).Select(e => new StreamReader(e.Open()).ReadToEnd()));
        Assert.Contains("# To little me", markdown, StringComparison.Ordinal);
        Assert.Contains("You were always enough.", markdown, StringComparison.Ordinal);
        Assert.Contains("Me at 6: Will you stay?", markdown, StringComparison.Ordinal);
        Assert.Contains($"](../{image})", markdown, StringComparison.Ordinal);

        var pdf = await person.Api.GetAsync("/api/v1/journal/export?format=pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = PdfText.Extract(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains("You were always enough.", text, StringComparison.Ordinal);
        Assert.Contains("Me at 6: Will you stay?", text, StringComparison.Ordinal);
        Assert.Single(PdfText.Images(await pdf.Content.ReadAsByteArrayAsync()));
        await Expect.ProblemNamingAsync(await person.Api.GetAsync("/api/v1/journal/export?format=docx"), "format");

        var everything = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        var journal = everything.GetProperty("journal").EnumerateArray().ToList();
        Assert.Equal(3, journal.Count);
        Assert.False(string.IsNullOrEmpty(journal.Single(e => e.GetProperty("kind").GetString() == "drawing").GetProperty("drawing").GetProperty("png").GetString()));
    }

    [Fact]
    public async Task AnEntry_WrittenFromAPractice_LinksToThatSession_OnlyIfItIsTheirs()
    {
        var person = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        var session = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/practices/safe-place/sessions", new { sudsBefore = 2 }), HttpStatusCode.Created)).RootElement;
        var entry = await CreateAsync(person, new { kind = "free", text = "After the safe place practice", practiceSessionId = Id(session) });
        Assert.Equal(Id(session), entry.GetProperty("practiceSessionId").GetString());
        await Expect.ProblemNamingAsync(await other.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "x", practiceSessionId = Id(session) }), "practiceSessionId");
    }

    [Fact]
    public async Task DeletingTheAccount_DeletesEveryEntry()
    {
        var person = await app.RegisterAsync();
        foreach (var body in OneOfEach("Gone").Values) await CreateAsync(person, body);
        await Expect.StatusAsync(await person.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = person.Password }) }), HttpStatusCode.NoContent);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<JournalEntry>().CountAsync(e => e.OwnerId == person.Id)));
    }

    [Fact]
    public async Task APrompt_IsSuggestedFromWhereThePersonIs()
    {
        var person = await app.RegisterAsync();
        // A Signs check-in where "critic" scores highest.
        var signs = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assessments");
        var items = signs.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "signs").GetProperty("items").EnumerateArray()
            .Select(i => i.TryGetProperty("pattern", out var p) && p.GetString() == "critic" ? 3 : 0).ToArray();
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/signs/responses", new { answers = items }), HttpStatusCode.Created);
        for (var i = 0; i < 10; i++)
        {
            var prompt = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journal/prompts/suggestion");
            var fits = (prompt.TryGetProperty("phase", out var phase) && phase.ValueKind == JsonValueKind.Number && phase.GetInt32() == 1)
                || (prompt.TryGetProperty("pattern", out var pattern) && pattern.GetString() == "critic");
            Assert.True(fits, prompt.ToString());
        }
    }
}
