using Attune.Data;
using Attune.Features.Account;
using Attune.Features.Activations;
using Attune.Features.Assessments;
using Attune.Features.Care;
using Attune.Features.Circle;
using Attune.Features.Home;
using Attune.Features.Journal;
using Attune.Features.Journey;
using Attune.Features.Privacy;
using Attune.Features.Safety;
using Attune.Infrastructure;
using Attune.Infrastructure.Bench;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Observability;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.HttpOverrides;

var command = args.FirstOrDefault(a => a is "rotate-master-key" or "rewrap-keys");
var adminCommand = args.Length > 0 && args[0] == "admin" ? args : null;
var hostArgs = adminCommand is not null ? args.Skip(3).ToArray() : args.Where(a => a != command && a != "--demo").ToArray();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs, ContentRootPath = ContentRoot.Of(hostArgs) });
if (args.Contains("--demo")) builder.Configuration["Attune:Demo"] = "true";

builder.AddAttuneOptions();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddEmail();
builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
    o.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("Attune:MaxRequestBytes") ?? 1024 * 1024);
builder.Services.Configure<ForwardedHeadersOptions>(o =>
{
    o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
    foreach (var proxy in builder.Configuration.GetSection("Attune:TrustedProxies").Get<string[]>() ?? [])
        o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
});

builder.AddObservability();
builder.AddAttuneDatabase();
builder.AddAccount();
builder.Services.AddPrivacy();
builder.Services.AddSafety();
builder.Services.AddAssessments();
builder.Services.AddJourney();
builder.Services.AddJournal();
builder.Services.AddActivations();
builder.Services.AddCircle(builder.Configuration);
builder.Services.AddCare();
builder.Services.AddHome();
builder.Services.AddAttuneRateLimits();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
});
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
builder.Services.AddOpenApi();
var bench = BenchSupport.Enabled(builder.Configuration);
builder.Services.AddRazorPages(o =>
{
    o.RootDirectory = "/Features";
    o.Conventions.Add(new BenchSupport.PageConvention(bench));
});
builder.Services.AddHostedService<DemoSeeder>();
builder.Services.AddHostedService<WarmUp>();

var app = builder.Build();

if (command is not null)
    return await KeyRotation.RunCommandAsync(app.Services, addKey: command == "rotate-master-key");
if (adminCommand is not null)
    return await CareApi.RunAdminCommandAsync(app.Services, adminCommand);

await DatabaseSetup.MigrateAsync(app.Services);
if (app.Services.GetRequiredService<SmtpMailSender>().PickupDirectory is { } pickup)
    app.Logger.LogInformation("Email: no SMTP host is set, so messages are written as .eml files to {PickupDirectory}", pickup);

if (bench) app.UseBenchCounters(); // Attune:Bench only: counts each request's database commands
app.UseForwardedHeaders();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment()) app.UseHsts();
app.UseExceptionHandler("/error");
app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseSessionCheck();
app.UseAuthorization();
app.UseAntiforgery();

app.MapHealthChecks("/health").AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapAccount();
app.MapPrivacy();
app.MapSafety();
app.MapAssessments();
app.MapJourney();
app.MapJournal();
app.MapActivations();
app.MapCircle();
app.MapCare();
app.MapRazorPages();
if (bench) app.MapBenchStats();

app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("Attune is ready at {Urls}", string.Join(", ", app.Urls)));
await app.RunAsync();
return 0;

public partial class Program;
