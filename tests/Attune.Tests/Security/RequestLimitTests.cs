using System.Net;
using System.Text;
using Attune.Tests.Support;

namespace Attune.Tests.Security;

/// <summary>Kestrel's body limit only exists on a real server, so this one runs the app as a process.</summary>
public sealed class RequestLimitTests
{
    [Fact]
    public async Task ARequestBodyOverTheLimit_IsRefusedWithA413Problem()
    {
        var data = Directory.CreateTempSubdirectory("attune-limit").FullName;
        var environment = new Dictionary<string, string> { ["Attune__MaxRequestBytes"] = "65536" };
        if (TestDatabase.UsePostgres)
        {
            environment["Database__Provider"] = "Postgres";
            environment["ConnectionStrings__Default"] = await TestDatabase.CreatePostgresDatabaseAsync();
        }
        await using var server = await ServerProcess.StartAsync(data, environment);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var big = "{\"email\":\"a@example.test\",\"password\":\"" + new string('x', 200_000) + "\"}";
        var response = await http.PostAsync("/api/auth/register", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var small = await http.PostAsync("/api/auth/register", new StringContent("{\"email\":\"\",\"password\":\"\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode);
        await server.KillAsync();
        if (environment.TryGetValue("ConnectionStrings__Default", out var cs)) await TestDatabase.DropPostgresDatabaseAsync(cs);
    }
}
