using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Attune.Tests.Durability;

/// <summary>
/// An acknowledged write survives kill -9. Several people write at once through the real server
/// over loopback (writers 0 and 1 change their display name; writer 2 changes a journal entry and
/// writer 3 adds journal entries and writer 4 logs activations, all through the group commit); each write is recorded when (and
/// only when) the server answers. The server
/// is killed with SIGKILL at a random moment once every writer is writing, restarted, and every person's latest acknowledged
/// write must be there (or the one that was in flight, if it landed), with the file intact.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Rounds = 10;
    private const int Writers = 5;

    [SqliteFact]
    public async Task AcknowledgedWrites_SurviveSigkill_AndTheDatabaseStaysIntact()
    {
        var data = Directory.CreateTempSubdirectory("attune-kill").FullName;
        var random = new Random(20261122);
        var people = new List<(string Email, string Token)>();
        string? entryId = null;
        var server = await ServerProcess.StartAsync(data);
        try
        {
            using (var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) })
            {
                for (var i = 0; i < Writers; i++)
                {
                    var email = AttuneApp.NewEmail("durable");
                    await Expect.StatusAsync(await http.PostAsJsonAsync("/api/auth/register", new { email, password = AttuneApp.DefaultPassword }), HttpStatusCode.OK);
                    var link = new Uri(Mail.LinkIn(Mail.Latest(Path.Combine(data, "mail"), email, "Confirm")));
                    await Expect.StatusAsync(await http.GetAsync(link.PathAndQuery), HttpStatusCode.OK);
                    var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password = AttuneApp.DefaultPassword });
                    var token = JsonDocument.Parse(await Expect.StatusAsync(login, HttpStatusCode.OK)).RootElement.GetProperty("accessToken").GetString()!;
                    people.Add((email, token));
                }
                using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/journal") { Content = JsonContent.Create(new { kind = "free", text = "write 0" }) };
                first.Headers.Authorization = new AuthenticationHeaderValue("Bearer", people[2].Token);
                entryId = JsonDocument.Parse(await Expect.StatusAsync(await http.SendAsync(first), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
            }

            var acked = new int[Writers];
            var totalAcked = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var inFlight = new int[Writers];
                var ackedAtStart = (int[])acked.Clone();
                using var stop = new CancellationTokenSource();
                // The kill comes at a random moment after every writer's first answer in this round,
                // so each round kills writes in full flow, however long the restart took to warm.
                var waiting = Writers;
                var allWriting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", people[w].Token);
                    while (!stop.IsCancellationRequested)
                    {
                        var next = acked[w] + 1;
                        inFlight[w] = next;
                        try
                        {
                            var response = w switch
                            {
                                2 => await http.PutAsJsonAsync($"/api/v1/journal/{entryId}", new { text = $"write {next}" }),
                                3 => await http.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = $"write {next}" }),
                                4 => await http.PostAsJsonAsync("/api/v1/activations", new { situation = $"write {next}", intensity = next % 11, patterns = new[] { "critic" } }),
                                _ => await http.PatchAsJsonAsync("/api/v1/me", new { displayName = $"writer {w} write {next}" }),
                            };
                            if (!response.IsSuccessStatusCode) return;
                            var firstThisRound = acked[w] == ackedAtStart[w];
                            acked[w] = next;
                            Interlocked.Increment(ref totalAcked);
                            if (firstThisRound && Interlocked.Decrement(ref waiting) == 0) allWriting.TrySetResult();
                        }
                        catch (HttpRequestException) { return; }
                        catch (TaskCanceledException) { return; }
                    }
                })).ToArray();

                await Task.WhenAny(allWriting.Task, Task.WhenAll(writers), Task.Delay(TimeSpan.FromSeconds(30)));
                await Task.Delay(random.Next(150, 900));
                await server.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
                await server.DisposeAsync();

                AssertIntegrity(Path.Combine(data, "attune.db"));
                server = await ServerProcess.StartAsync(data);
                using var check = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
                for (var w = 0; w < Writers; w++)
                {
                    check.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", people[w].Token);
                    int stored;
                    if (w is 3 or 4)
                    {
                        using var conn = new SqliteConnection($"Data Source={Path.Combine(data, "attune.db")};Pooling=false;Mode=ReadOnly");
                        conn.Open();
                        using var cmd = conn.CreateCommand();
                        cmd.CommandText = $"SELECT count(*) FROM {(w == 3 ? "JournalEntries" : "Activations")} j JOIN AspNetUsers u ON u.Id = j.OwnerId WHERE u.Email = $email";
                        cmd.Parameters.AddWithValue("$email", people[w].Email);
                        stored = Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        var url = w == 2 ? $"/api/v1/journal/{entryId}" : "/api/v1/me";
                        var item = JsonDocument.Parse(await Expect.StatusAsync(await check.GetAsync(url), HttpStatusCode.OK)).RootElement;
                        var text = item.GetProperty(w == 2 ? "text" : "displayName").GetString() ?? "";
                        stored = text.Length == 0 ? 0 : int.Parse(text.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
                    }
                    Assert.True(stored == acked[w] || stored == inFlight[w],
                        $"Round {round}, writer {w}: found write {stored}; last acknowledged {acked[w]}, in flight {inFlight[w]}");
                    acked[w] = stored;
                }
            }
            output.WriteLine($"{Rounds} kills, {totalAcked} acknowledged writes, all present.");
            Assert.True(totalAcked > Rounds * Writers, $"Too few writes to mean much: {totalAcked}");
        }
        finally
        {
            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static void AssertIntegrity(string file)
    {
        using var conn = new SqliteConnection($"Data Source={file};Pooling=false");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", cmd.ExecuteScalar() as string);
    }
}
