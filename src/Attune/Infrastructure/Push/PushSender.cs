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
/// Web Push: keeping each person's browser subscriptions, and sending a notice to them. The notice
/// says only what happened in Attune's own words ("Someone in your circle reached out") and where
/// to look; never who, and never anything a person wrote. A push service answering 404 or 410 means
/// the subscription is gone, and it is removed.
/// </summary>
public sealed class PushSender(AttuneDb db, VapidKeys vapid, IHttpClientFactory http, TimeProvider clock, AttuneMeters meters, ILogger<PushSender> logger)
{
    public const int MaxPerPerson = 10;

    public async Task<(Guid? Id, FieldErrors? Errors)> SubscribeAsync(string userId, PushSubscriptionInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (!Uri.TryCreate(input.Endpoint, UriKind.Absolute, out var endpoint) || input.Endpoint!.Length > 1000
            || !(endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback)))
            errors.Add("endpoint", "Please send the subscription's https endpoint.");
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

    /// <summary>Sends a notice to each of the person's subscriptions; answers how many push services accepted it.</summary>
    public async Task<int> SendAsync(string userId, string body, string url, bool urgent, CancellationToken ct = default)
    {
        var rows = await db.Set<PushSubscription>().Where(s => s.UserId == userId).ToListAsync(ct);
        if (rows.Count == 0) return 0;
        var key = await vapid.GetAsync(ct);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { title = "Attune", body, url });
        var client = http.CreateClient(nameof(PushSender));
        var delivered = 0;
        foreach (var row in rows)
        {
            var details = JsonSerializer.Deserialize<PushDetails>(await db.OpenAsync(userId, PushSubscription.Table, row.Id.ToString(), "details", row.Details, ct))!;
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
                using var response = await client.SendAsync(request, ct);
                meters.Notice(NoticeChannel.Push, response.IsSuccessStatusCode);
                if (response.IsSuccessStatusCode) delivered++;
                else if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) db.Remove(row);
                else logger.LogWarning("Push service answered {Status}", (int)response.StatusCode);
            }
            catch (HttpRequestException e)
            {
                meters.NoticeFailed(NoticeChannel.Push);
                logger.LogWarning("Push failed: {ExceptionType}", e.GetType().FullName);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                meters.NoticeFailed(NoticeChannel.Push);
                logger.LogWarning("Push timed out");
            }
        }
        await db.SaveChangesAsync(ct);
        return delivered;
    }
}
