using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Attune.Tests.Support;

/// <summary>An open <c>/api/v1/events</c> stream, with each event's type and id as it arrives.</summary>
public sealed class LiveEvents : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    public Channel<(string Type, string Id)> Events { get; } = Channel.CreateUnbounded<(string, string)>();

    /// <summary>The same events with their whole data (ids and numbers beside <c>id</c>, such as a room's version).</summary>
    public Channel<(string Type, JsonElement Data)> Frames { get; } = Channel.CreateUnbounded<(string, JsonElement)>();
    private Task _reader = Task.CompletedTask;

    private readonly bool _ownsClient;
    private HttpResponseMessage? _response;

    private LiveEvents(HttpClient http, bool ownsClient)
    {
        _http = http;
        _ownsClient = ownsClient;
    }

    /// <summary>Completes when the server ends the stream (or it is disposed).</summary>
    public Task Ended => _reader;

    public static async Task<LiveEvents> OpenAsync(AttuneApp app, Person person) => await OpenAsync(app, person.AccessToken);

    public static async Task<LiveEvents> OpenAsync(AttuneApp app, string accessToken)
    {
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await OpenAsync(http, "/api/v1/events", ownsClient: true);
    }

    /// <summary>The pages' own stream (<c>/live</c>) on a browser-like client's sign-in cookie.</summary>
    public static Task<LiveEvents> OpenPagesAsync(PagesClient pages) => OpenAsync(pages.Http, "/live", ownsClient: false);

    private static async Task<LiveEvents> OpenAsync(HttpClient http, string url, bool ownsClient)
    {
        var s = new LiveEvents(http, ownsClient);
        var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, s._stop.Token);
        s._response = response;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStreamAsync(s._stop.Token);
        var reader = new StreamReader(body, Encoding.UTF8);
        Assert.Equal(": connected", await reader.ReadLineAsync(s._stop.Token));
        s._reader = Task.Run(async () =>
        {
            string? type = null;
            try
            {
                while (await reader.ReadLineAsync(s._stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && type is not null)
                    {
                        var data = JsonDocument.Parse(line[6..]).RootElement.Clone();
                        await s.Events.Writer.WriteAsync((type, data.GetProperty("id").GetString()!));
                        await s.Frames.Writer.WriteAsync((type, data));
                    }
                }
            }
            catch (OperationCanceledException) { }
            catch (IOException) { }
        });
        return s;
    }

    public async Task<(string Type, string Id)> NextAsync(string type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var e = await Events.Reader.ReadAsync(timeout.Token);
            if (e.Type == type) return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _reader; } catch (OperationCanceledException) { }
        _response?.Dispose(); // the server sees the client go
        if (_ownsClient) _http.Dispose();
        _stop.Dispose();
    }
}
