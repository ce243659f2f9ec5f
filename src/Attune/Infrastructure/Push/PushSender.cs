using System.Net;
using System.Text.Json;
using Attune.Data;
using Attune.Infrastructure.Observability;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Push;

public sealed record PushKeys(string? P256dh, string? Auth);

/// <summary>What a browser's <c>PushSubscription.toJSON()</c> gives.</summary>
public sealed record PushSubscriptionInput(string? Endpoint, PushKeys? Keys);

internal sealed record PushDetails(string Endpoint, string P256dh, string Auth);

/// <summary>
/// Web Push: keeping each person's browser subscriptions, and delivering a notice to them. The
/// notice says only what happened in Attune's own words ("Someone in your circle reached out") and
/// where to look; never who, and never anything a person wrote. Endpoints must be on a push
/// service (<see cref="PushServices"/>). Delivery runs in the background (<see cref="Notices"/>):
/// all of a person's devices at once, each request within a short timeout and all of them within
/// one budget. A push service answering 404 or 410 means the subscription is gone, and it is removed.
/// </summary>
public sealed class PushSender(AttuneDb db, VapidKeys vapid, PushServices services, IHttpClientFactory http, TimeProvider clock, AttuneMeters meters, ILogger<PushSender> logger)
{
    public const int MaxPerPerson = 10;
    public const string Client = nameof(PushSender);

    public async Task<(Guid? Id, FieldErrors? Errors)> SubscribeAsync(string userId, PushSubscriptionInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (!services.IsAllowed(input.Endpoint))
            errors.Add("endpoint", "Please send the subscription's endpoint from your browser's push service.");
        byte[]? p256dh = null, auth = null;
        try { p256dh = input.Keys?.P256dh is { } k ? WebPushCrypto.FromBase64Url(k) : null; } catch (FormatException) { }
        try { auth = input.Keys?.Auth is { } a ? WebPushCrypto.FromBase64Url(a) : null; } catch (FormatException) { }
        if (p256dh is not { Length: 65 } || p256dh[0] != 4) errors.Add("keys.p256dh", "This isn't a P-256 public key.");
        if (auth is not { Length: 16 }) errors.Add("keys.auth", "The auth secret must be 16 bytes.");
        if (errors.Any) return (null, errors);
        var hash = PushSubscription.Hash(input.Endpoint!);
        var existing = await db.Set<PushSubscription>().FirstOrDefaultAsync(s => s.UserId == userId && s.EndpointHash == hash, ct);
        if (existing is not null) db.Remove(existing);
        var count = await db.Set<PushSubscription>().CountAsync(s => s.UserId == userId, ct);
        if (count - (existing is null ? 0 : 1) >= MaxPerPerson)
        {
            // The oldest device makes way.
            var oldest = await db.Set<PushSubscription>().Where(s => s.UserId == userId && s.EndpointHash != hash).OrderBy(s => s.CreatedAt).FirstAsync(ct);
            db.Remove(oldest);
        }
        var row = new PushSubscription { Id = SequentialGuid.Next(), UserId = userId, EndpointHash = hash, CreatedAt = clock.GetUtcNow().UtcDateTime };
        row.Details = await db.SealAsync(userId, PushSubscription.Table, row.Id.ToString(), "details",
            JsonSerializer.Serialize(new PushDetails(input.Endpoint!, input.Keys!.P256dh!, input.Keys.Auth!)), ct);
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return (row.Id, null);
    }

    public async Task<bool> UnsubscribeAsync(string userId, Guid id, CancellationToken ct = default)
    {
        var row = await db.Set<PushSubscription>().FirstOrDefaultAsync(s => s.Id == id && s.UserId == userId, ct);
        if (row is null) return false;
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Sends a notice to every one of the person's subscriptions at once, giving up on all of them
    /// when <paramref name="budget"/> runs out; answers how many push services accepted it.
    /// </summary>
    public async Task<int> DeliverAsync(string userId, string body, string url, bool urgent, TimeSpan budget, CancellationToken ct = default)
    {
        var rows = await db.Set<PushSubscription>().Where(s => s.UserId == userId).ToListAsync(ct);
        if (rows.Count == 0) return 0;
        var key = await vapid.GetAsync(ct);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { title = "Attune", body, url });
        var targets = new List<(PushSubscription Row, PushDetails Details)>();
        foreach (var row in rows)
        {
            var details = JsonSerializer.Deserialize<PushDetails>(await db.OpenAsync(userId, PushSubscription.Table, row.Id.ToString(), "details", row.Details, ct))!;
            // A subscription made before the push services were checked, on somewhere else, is dropped unsent.
            if (services.IsAllowed(details.Endpoint)) targets.Add((row, details));
            else db.Remove(row);
        }
        using var within = CancellationTokenSource.CreateLinkedTokenSource(ct);
        within.CancelAfter(budget);
        var client = http.CreateClient(Client);
        var outcomes = await Task.WhenAll(targets.Select(t => SendOneAsync(client, key, t.Details, payload, urgent, within.Token)));
        var delivered = 0;
        for (var i = 0; i < targets.Count; i++)
        {
            meters.Notice(NoticeChannel.Push, outcomes[i] == Outcome.Delivered);
            if (outcomes[i] == Outcome.Delivered) delivered++;
            else if (outcomes[i] == Outcome.Gone) db.Remove(targets[i].Row);
        }
        await db.SaveChangesAsync(ct);
        return delivered;
    }

    private enum Outcome { Delivered, Gone, Failed }

    private async Task<Outcome> SendOneAsync(HttpClient client, Vapid key, PushDetails details, byte[] payload, bool urgent, CancellationToken ct)
    {
        var endpoint = new Uri(details.Endpoint);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(WebPushCrypto.Encrypt(payload, WebPushCrypto.FromBase64Url(details.P256dh), WebPushCrypto.FromBase64Url(details.Auth), padTo: 256)),
        };
        request.Content.Headers.ContentType = new("application/octet-stream");
        request.Content.Headers.ContentEncoding.Add("aes128gcm");
        request.Headers.TryAddWithoutValidation("TTL", urgent ? "3600" : "86400");
        request.Headers.TryAddWithoutValidation("Urgency", urgent ? "high" : "normal");
        request.Headers.TryAddWithoutValidation("Authorization", key.Authorization(endpoint, clock.GetUtcNow()));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.IsSuccessStatusCode) return Outcome.Delivered;
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) return Outcome.Gone;
            logger.LogWarning("Push service answered {Status}", (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Push failed: {ExceptionType}", (e.InnerException ?? e).GetType().Name);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Push timed out");
        }
        return Outcome.Failed;
    }
}
