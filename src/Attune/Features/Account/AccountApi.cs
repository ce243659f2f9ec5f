using System.Security.Claims;
using Attune.Data;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Attune.Features.Account;

public static class AccountApi
{
    public const string ApiPolicy = "api";

    public static IHostApplicationBuilder AddAccount(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var secure = !builder.Environment.IsDevelopment();
        // __Host- cookies must be Secure; in Development (plain http://localhost) they carry a plain name.
        var prefix = secure ? "__Host-" : "";

        services.AddIdentityApiEndpoints<AttuneUser>(o =>
            {
                o.Password.RequiredLength = PasswordPolicy.MinLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedEmail = true;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.ClaimsIdentity.UserIdClaimType = ClaimTypes.NameIdentifier;
                // Version 3 adds the passkeys table (AspNetUserPasskeys); AttuneDb builds its model at version 3 too.
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AttuneDb>()
            .AddUserStore<AttuneUserStore>()
            .AddSignInManager<AttuneSignInManager>()
            .AddPasswordValidator<PasswordPolicy>();

        // Pages challenge with the cookie (a redirect to sign-in); the API policy names the bearer scheme (a 401).
        services.Configure<AuthenticationOptions>(o => o.DefaultChallengeScheme = IdentityConstants.ApplicationScheme);
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordPolicy.HashIterations);
        services.AddOptions<IdentityPasskeyOptions>().Configure<IOptions<AttuneOptions>>((o, attune) => Passkeys.Configure(o, attune.Value));
        services.AddScoped<Sessions>();
        services.AddScoped<SignInGuard>();
        services.AddTransient<IStartupFilter, IdentityApiRules.BufferBodies>();
        services.AddScoped<AuditLog>();
        services.AddSingleton<AccountEmails>();
        services.AddScoped<Infrastructure.Email.IMailComposer, AccountMailComposer>();
        services.AddSingleton<IEmailSender<AttuneUser>>(sp => sp.GetRequiredService<AccountEmails>());
        services.AddHttpContextAccessor();

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AttuneOptions>>((o, attune) =>
            {
                o.Cookie.Name = prefix + "attune";
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = attune.Value.SessionIdleTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = "/account/sign-in";
                o.LogoutPath = "/account/sign-out";
                o.AccessDeniedPath = "/account/sign-in";
                o.Events.OnValidatePrincipal = ValidateStampWhenDue;
                o.Events.OnRedirectToLogin = ctx => RedirectOr401(ctx);
                o.Events.OnRedirectToAccessDenied = ctx => RedirectOr401(ctx, StatusCodes.Status403Forbidden);
            });
        foreach (var scheme in new[] { IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme })
        {
            services.Configure<CookieAuthenticationOptions>(scheme, o =>
            {
                o.Cookie.Name = prefix + "attune-" + (scheme == IdentityConstants.TwoFactorUserIdScheme ? "2fa" : "2fa-remember");
                o.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = SameSiteMode.Lax;
            });
        }
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = prefix + "attune-af";
            o.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            // Scripts read the token from the form's hidden field, never from the cookie.
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        services.AddAuthorizationBuilder()
            // Everything needs a signed-in person unless it says otherwise ([AllowAnonymous] / AllowAnonymous()).
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireAuthenticatedUser())
            .AddAdminPolicy();
        services.AddScoped<Infrastructure.Live.ISessionCheck>(sp => sp.GetRequiredService<Sessions>());
        return builder;
    }

    /// <summary>
    /// Identity re-checks a cookie's security stamp once every <see cref="SecurityStampValidatorOptions.ValidationInterval"/>,
    /// but resolves its validator (the sign-in and user managers, a store and a database context) on
    /// every request just to learn that it isn't due yet. The same test with the same clock first
    /// spares every page that work; when it is due, Identity's own validator runs unchanged.
    /// </summary>
    private static Task ValidateStampWhenDue(CookieValidatePrincipalContext context)
    {
        if (context.Properties.IssuedUtc is { } issued)
        {
            var services = context.HttpContext.RequestServices;
            var options = services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
            var clock = options.TimeProvider ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
            if (clock.GetUtcNow() - issued <= options.ValidationInterval) return Task.CompletedTask;
        }
        return SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    private static Task RedirectOr401(RedirectContext<CookieAuthenticationOptions> ctx, int status = StatusCodes.Status401Unauthorized)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Rejects a cookie or token whose session has ended or passed its absolute lifetime, and any
    /// principal that carries no session at all.
    /// </summary>
    public static IApplicationBuilder UseSessionCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = context.User;
        var userId = Infrastructure.Web.CurrentPerson.IdOf(user);
        if (user.Identity?.IsAuthenticated == true && userId is not null)
        {
            var sid = Sessions.IdOf(user);
            var sessions = context.RequestServices.GetRequiredService<Sessions>();
            if (sid is null || !await sessions.IsActiveAsync(sid.Value, userId, context.RequestAborted))
            {
                // An endpoint's policy may authenticate again with its own scheme, so an API call
                // with an ended session is answered here rather than passed on as anonymous.
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context,
                        ProblemDetails = { Status = 401, Title = "This session has ended.", Detail = "Please sign in again." },
                    });
                    return;
                }
                await context.SignOutAsync(IdentityConstants.ApplicationScheme);
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
        }
        await next();
    });

    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/auth")
            .MapIdentityApi<AttuneUser>()
            .AddEndpointFilter(IdentityApiRules.FilterAsync)
            .WithTags("Accounts")
            .Add(IdentityApiRules.Configure);
        app.MapMe();
        return app;
    }
}
