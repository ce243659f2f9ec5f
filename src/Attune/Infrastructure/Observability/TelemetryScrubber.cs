using System.Diagnostics;
using OpenTelemetry;

namespace Attune.Infrastructure.Observability;

/// <summary>
/// The last word on what a span carries before any exporter sees it. Only attributes known to hold
/// no personal data survive: a URL's path becomes its route template (<c>/api/v1/journal/{id:guid}</c>,
/// never the id), a full URL becomes its scheme and host (a push endpoint's path is a per-browser
/// token), and the query, the client's address, the user agent, SQL parameter values and exception
/// messages are dropped. An allow-list, so an attribute a library adds later is dropped until we
/// have looked at it.
/// </summary>
public sealed class TelemetryScrubber : BaseProcessor<Activity>
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "http.request.method", "http.request.method_original", "http.response.status_code", "http.route",
        "url.scheme", "url.path", "url.full", "server.address", "server.port",
        "network.protocol.name", "network.protocol.version", "error.type", "otel.status_code",
        "db.system", "db.system.name", "db.name", "db.namespace", "db.operation.name", "db.collection.name",
        "db.query.summary", "db.query.text", "db.statement", "db.response.status_code",
        "aspnetcore.request.is_unhandled",
    };

    public override void OnEnd(Activity data)
    {
        var route = data.GetTagItem("http.route") as string;
        List<string>? drop = null;
        foreach (var (key, _) in data.TagObjects)
            if (!Allowed.Contains(key)) (drop ??= []).Add(key);
        if (drop is not null) foreach (var key in drop) data.SetTag(key, null);

        if (data.GetTagItem("url.path") is not null) data.SetTag("url.path", route);
        if (data.GetTagItem("url.full") is string full && Uri.TryCreate(full, UriKind.Absolute, out var uri))
            data.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority));
        if (data.Kind == ActivityKind.Server)
            data.DisplayName = data.GetTagItem("http.request.method") is string method ? (route is null ? method : $"{method} {route}") : "HTTP";
        // A status description is an exception's message, and a message can quote what was sent.
        if (data.StatusDescription is not null) data.SetStatus(data.Status);
    }
}
