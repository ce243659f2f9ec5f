using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Attune.Infrastructure.Web;

/// <summary>
/// Marks an endpoint (a page model, or an API route's metadata) as
/// limited per client address. The limit belongs to the endpoint the router chose, so no spelling
/// of its path (a trailing slash, upper case) gets around it. Only POSTs count; on a page with
/// several handlers, <see cref="Handler"/> narrows it to one.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RateLimitedAttribute(string limit) : Attribute
{
    public string Limit { get; } = limit;
    public string? Handler { get; init; }
}

public static class RateLimits
{
    /// <summary>Sign-in, registration and reset attempts: <c>Attune:AuthAttemptsPerMinute</c> per client address.</summary>
    public const string Auth = "auth";

    /// <summary>Requests that send an email to an address the client chose: <c>Attune:EmailRequestsPerHour</c> per client address.</summary>
    public const string Email = "email";

    public static IServiceCollection AddAttuneRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                var problems = ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many tries for now.", Detail = "Please wait a while and try again." },
                });
            };
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Limiter(Auth, TimeSpan.FromMinutes(1), a => a.AuthAttemptsPerMinute),
                Limiter(Email, TimeSpan.FromHours(1), a => a.EmailRequestsPerHour));
        });
        return services;
    }

    private static PartitionedRateLimiter<HttpContext> Limiter(string limit, TimeSpan window, Func<AttuneOptions, int> permits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!Applies(context, limit)) return RateLimitPartition.GetNoLimiter("none");
            var count = permits(context.RequestServices.GetRequiredService<IOptions<AttuneOptions>>().Value);
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter(limit + ":" + client, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = count,
                Window = window,
                QueueLimit = 0,
            });
        });

    private static bool Applies(HttpContext context, string limit)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint() is not { } endpoint) return false;
        foreach (var marker in endpoint.Metadata.GetOrderedMetadata<RateLimitedAttribute>())
        {
            if (marker.Limit != limit) continue;
            if (marker.Handler is null) return true;
            var handler = context.GetRouteValue("handler") as string ?? context.Request.Query["handler"].ToString();
            if (string.Equals(handler, marker.Handler, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
