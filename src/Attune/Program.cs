using Attune.Composition;
using Attune.Features.Account;
using Attune.Features.Activations;
using Attune.Features.Assessments;
using Attune.Features.Care;
using Attune.Features.Groups;
using Attune.Features.Circle;
using Attune.Features.Design;
using Attune.Features.Home;
using Attune.Features.Journal;
using Attune.Features.Journey;
using Attune.Features.Privacy;
using Attune.Features.Safety;
using Attune.Features.Sharing;
using Attune.Infrastructure;
using Attune.Infrastructure.Bench;
using Attune.Infrastructure.Web;

var command = HostCommand.Parse(args);
var builder = WebApplication.CreateBuilder(command.HostOptions);
if (command.Demo) builder.Configuration["Attune:Demo"] = "true";
var bench = BenchSupport.Enabled(builder.Configuration);

builder.AddInfrastructure();
builder.AddAccount();
builder.Services.AddPrivacy();
builder.Services.AddSafety();
builder.Services.AddAssessments();
builder.Services.AddJourney();
builder.Services.AddJournal();
builder.Services.AddActivations();
builder.Services.AddCircle();
builder.Services.AddCare();
builder.Services.AddGroups();
builder.Services.AddSharing();
builder.Services.AddHome();
builder.Services.AddDesign(builder.Environment);
builder.Services.AddPages(bench);
builder.Services.AddSeedingAndWarmUp();

var app = builder.Build();
if (command.IsCommand) return await command.RunAsync(app.Services);
await app.PrepareAsync();

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
app.UseMiddleware<Attune.Infrastructure.PersonSnapshotsMiddleware>(); // a person's write forgets their copies of pages (Today)
app.UseAuthorization();
app.UseAntiforgery();

app.MapInfrastructure(apiPolicy: AccountApi.ApiPolicy);
app.MapAccount();
app.MapPrivacy();
app.MapSafety();
app.MapAssessments();
app.MapJourney();
app.MapJournal();
app.MapActivations();
app.MapCircle();
app.MapCare();
app.MapGroups();
app.MapSharing();
app.MapRazorPages();
if (bench) app.MapBenchStats();

app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("Attune is ready at {Urls}", string.Join(", ", app.Urls)));
await app.RunAsync();
return 0;

public partial class Program;
