using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Attune.Tests.Support;

/// <summary>
/// An open <c>/api/v1/events</c> stream, with each event's type and id as it arrives, and the SSE id
/// of the last frame (what a browser would send back as <c>Last-Event-ID</c> when it reconnects).
/// </summary>
public sealed class LiveEvents : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    public Channel<(string Type, string Id)> Events { get; } = Channel.CreateUnbounded<(string, string)>();

    /// <summary>The same events with their whole data (ids and numbers beside <c>id</c>, such as a room's version).</summary>
    public Channel<(string Type, JsonElement Data)> Frames { get; } = Channel.CreateUnbounded<(string, JsonElement)>();
    private Task _reader = Task.CompletedTask;
    private string? _lastId;

    /// <summary>The SSE id of the last whole frame read, as a browser keeps it (an id-only frame sets it too).</summary>
    public string? LastId => Volatile.Read(ref _lastId);

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

    /// <summary>A reconnect, as a browser's EventSource makes one: <c>Last-Event-ID</c> (or, with <paramref name="asQuery"/>, <c>?lastEventId=</c>).</summary>
    public static async Task<LiveEvents> ReconnectAsync(AttuneApp app, Person person, string lastEventId, bool asQuery = false)
    {
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", person.AccessToken);
        if (asQuery) return await OpenAsync(http, "/api/v1/events?lastEventId=" + Uri.EscapeDataString(lastEventId), ownsClient: true);
        http.DefaultRequestHeaders.Add("Last-Event-ID", lastEventId);
        return await OpenAsync(http, "/api/v1/events", ownsClient: true);
    }

    /// <summary>The API's stream through any client (a real server's, a proxy's); the caller keeps the client.</summary>
    public static Task<LiveEvents> OpenOnAsync(HttpClient http) => OpenAsync(http, "/api/v1/events", ownsClient: false);

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
            string? type = null, id = null, data = null;
            try
            {
                while (await reader.ReadLineAsync(s._stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                    else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
                    else if (line.Length == 0)
                    {
                        // A frame ends: like a browser, keep its id as the one to come back with, then hand on its event.
                        if (id is not null) Volatile.Write(ref s._lastId, id);
                        if (type is not null && data is not null)
                        {
                            var json = JsonDocument.Parse(data).RootElement.Clone();
                            await s.Events.Writer.WriteAsync((type, json.TryGetProperty("id", out var i) ? i.GetString()! : ""));
                            await s.Frames.Writer.WriteAsync((type, json));
                        }
                        type = id = data = null;
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
