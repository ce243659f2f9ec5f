using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Attune.Infrastructure.Web;

public static class RateLimits
{
    private static readonly string[] AuthPosts =
    [
        "/api/auth/login", "/api/auth/register", "/api/auth/forgotPassword", "/api/auth/resetPassword",
        "/api/auth/resendConfirmationEmail", "/account/sign-in", "/account/sign-in/two-factor", "/account/sign-in/recovery",
        "/account/register", "/account/forgot-password", "/account/reset-password", "/account/confirm-email/resend",
    ];

    /// <summary>Sign-in, registration and reset attempts are limited per client address (lockout guards each account).</summary>
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
                    ProblemDetails = { Status = 429, Title = "Too many tries for now.", Detail = "Please wait a minute and try again." },
                });
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method) || !IsAuthPath(context.Request.Path))
                    return RateLimitPartition.GetNoLimiter("none");
                var limit = context.RequestServices.GetRequiredService<IOptions<AttuneOptions>>().Value.AuthAttemptsPerMinute;
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter("auth:" + client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }

    private static bool IsAuthPath(PathString path) =>
        AuthPosts.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));
}
