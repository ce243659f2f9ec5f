using Attune.Data;
using System.Text.Json;
using Attune.Infrastructure;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.Data;

namespace Attune.Features.Account;

/// <summary>
/// Shapes Identity's own API endpoints (<c>/api/auth/*</c>) to Attune's rules. Every rule is tied
/// to the endpoint the router chose (its route template), never to how the request spelled its path.
/// - Register, login, refresh, confirm and reset are for people not signed in yet; manage/* is not.
/// - Attempts are rate limited per client; requests that email an address are limited per hour.
/// - Validation problems name the field; registering an address that already has an account
///   answers like a new one (and tells the owner by email).
/// - "Forgot password" and "send the confirmation again" only queue a request: the mail queue
///   decides whether the address has an account, so the answer and its timing say nothing.
/// - Changing email or password, and anything about two-step sign-in (which shows the
///   authenticator secret), needs the current password, counted toward the pause like a sign-in.
/// - Two-step and password changes are audited.
/// </summary>
internal static class IdentityApiRules
{
    private static string Template(HttpContext http) => (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";

    private static bool Is(string template, string route) => template.EndsWith(route, StringComparison.OrdinalIgnoreCase);

    public static void Configure(EndpointBuilder endpoint)
    {
        if (endpoint is not RouteEndpointBuilder route) return;
        var template = route.RoutePattern.RawText ?? "";
        if (!template.Contains("/manage", StringComparison.Ordinal))
            endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute());
        if (Is(template, "/login") || Is(template, "/register") || Is(template, "/refresh") || Is(template, "/forgotPassword")
            || Is(template, "/resetPassword") || Is(template, "/resendConfirmationEmail") || Is(template, "/manage/2fa"))
            endpoint.Metadata.Add(new RateLimitedAttribute(RateLimits.Auth));
        if (Is(template, "/register") || Is(template, "/forgotPassword") || Is(template, "/resendConfirmationEmail") || Is(template, "/manage/info"))
            endpoint.Metadata.Add(new RateLimitedAttribute(RateLimits.Email));
    }

    /// <summary>Lets the two-step filter read a <c>password</c> the request body carries beside Identity's own fields.</summary>
    public sealed class BufferBodies : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/api/auth", StringComparison.OrdinalIgnoreCase))
                    context.Request.EnableBuffering();
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var template = Template(http);
        var services = http.RequestServices;
        var userManager = services.GetRequiredService<UserManager<AttuneUser>>();

        // An address with a control character in it is no address (and PostgreSQL can't even look one up).
        var address = context.Arguments.Select(a => a switch
        {
            RegisterRequest r => r.Email,
            LoginRequest l => l.Email,
            ForgotPasswordRequest f => f.Email,
            ResendConfirmationEmailRequest c => c.Email,
            ResetPasswordRequest p => p.Email,
            InfoRequest i => i.NewEmail,
            _ => null,
        }).FirstOrDefault(e => e is not null);
        if (FieldErrors.HasControl(address))
            return new FieldErrors().Add(context.Arguments.OfType<InfoRequest>().Any() ? "newEmail" : "email", "That doesn't look like an email address.").ToProblem();

        if (Is(template, "/forgotPassword") && context.Arguments.OfType<ForgotPasswordRequest>().FirstOrDefault() is { Email: { Length: > 0 } forgotten })
        {
            await services.GetRequiredService<Mailer>().QueueAccountEmailAsync(MailKinds.ResetCode, forgotten, http.RequestAborted);
            return TypedResults.Ok();
        }
        if (Is(template, "/resendConfirmationEmail") && context.Arguments.OfType<ResendConfirmationEmailRequest>().FirstOrDefault() is { Email: { Length: > 0 } resend })
        {
            await services.GetRequiredService<Mailer>().QueueAccountEmailAsync(MailKinds.Confirm, resend, http.RequestAborted);
            return TypedResults.Ok();
        }

        if (Is(template, "/manage/info") && context.Arguments.OfType<InfoRequest>().FirstOrDefault() is { } info && (info.NewEmail is not null || info.NewPassword is not null))
        {
            var me = await userManager.GetUserAsync(http.User);
            if (me is null) return TypedResults.NotFound();
            if (await RecheckAsync(services, userManager, me, info.OldPassword, "oldPassword",
                info.NewEmail is not null ? "Please enter your current password to change your email." : "Your current password doesn't match.") is { } refused)
                return refused;
        }

        if (Is(template, "/manage/2fa") && HttpMethods.IsPost(http.Request.Method))
        {
            var me = await userManager.GetUserAsync(http.User);
            if (me is null) return TypedResults.NotFound();
            if (await RecheckAsync(services, userManager, me, await PasswordInBodyAsync(http.Request), "password",
                "Please enter your current password: two-step sign-in settings show your secret key.") is { } refused)
                return refused;
        }

        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result as IResult;

        if (inner is ValidationProblem problem)
        {
            var errors = problem.ProblemDetails.Errors;
            if (Is(template, "/register") && errors.Count > 0 && errors.Keys.All(k => k is "DuplicateUserName" or "DuplicateEmail"))
            {
                var email = context.Arguments.OfType<RegisterRequest>().First().Email;
                await services.GetRequiredService<AccountEmails>().SendAlreadyRegisteredAsync(email);
                return TypedResults.Ok();
            }
            var passwordField = Is(template, "/register") ? "password" : "newPassword";
            var byField = new Dictionary<string, List<string>>();
            foreach (var (code, messages) in errors)
            {
                var field = code.StartsWith("Password", StringComparison.Ordinal) ? passwordField
                    : code.Contains("Email", StringComparison.Ordinal) || code.Contains("UserName", StringComparison.Ordinal) ? "email"
                    : code is "InvalidToken" ? "resetCode"
                    : code;
                if (!byField.TryGetValue(field, out var list)) byField[field] = list = [];
                list.AddRange(messages);
            }
            return TypedResults.ValidationProblem(byField.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
                title: "Some details need another look.");
        }

        if (http.Response.StatusCode < 400 && inner is Ok<TwoFactorResponse> && http.Request.Method == "POST")
        {
            var request = context.Arguments.OfType<TwoFactorRequest>().FirstOrDefault();
            if (request is { Enable: not null } or { ResetSharedKey: true } or { ResetRecoveryCodes: true } or { ForgetMachine: true })
                await services.GetRequiredService<AuditLog>().RecordAsync(CurrentPerson.IdOf(http.User), AuditActions.TwoFactorChanged, "user", CurrentPerson.IdOf(http.User));
        }
        else if (inner is Ok<InfoResponse> && context.Arguments.OfType<InfoRequest>().FirstOrDefault() is { NewPassword: not null })
        {
            await services.GetRequiredService<AuditLog>().RecordAsync(CurrentPerson.IdOf(http.User), AuditActions.PasswordChanged, "user", CurrentPerson.IdOf(http.User));
        }
        return result;
    }

    /// <summary>Null when the password is right; otherwise the problem to answer (400 naming the field, or 429 while paused).</summary>
    private static async Task<IResult?> RecheckAsync(IServiceProvider services, UserManager<AttuneUser> users, AttuneUser me, string? password, string field, string message)
    {
        switch (await services.GetRequiredService<SignInGuard>().CheckPasswordAsync(users, me, password))
        {
            case PasswordCheck.Right:
                return null;
            case PasswordCheck.Paused:
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many tries for now.", detail: SignInGuard.PausedMessage);
            default:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Your current password is needed.");
        }
    }

    private static async Task<string?> PasswordInBodyAsync(HttpRequest request)
    {
        if (!request.Body.CanSeek) return null;
        request.Body.Position = 0;
        try
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String
                ? p.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
