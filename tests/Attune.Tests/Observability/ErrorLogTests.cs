using Attune.Infrastructure.Web;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Attune.Tests.Observability;

/// <summary>An unexpected error is logged by route template: the path it came on can carry an invitation token or an id.</summary>
public sealed class ErrorLogTests
{
    [Fact]
    public async Task AnUnexpectedError_IsLoggedWithItsRouteTemplate_NeitherThePathNorTheMessage()
    {
        const string token = "tok-3f9a1c7e-private";
        using var logs = new CapturedLogs();
        await using var services = new ServiceCollection().AddLogging(b => b.AddProvider(logs)).AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        var error = new InvalidOperationException("It went wrong with " + token);
        context.Features.Set<IExceptionHandlerPathFeature>(new ExceptionHandlerFeature
        {
            Error = error,
            Path = $"/api/v1/circle/invitations/{token}/accept",
            Endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/v1/circle/invitations/{token}/accept"), 0, EndpointMetadataCollection.Empty, "accept"),
        });
        var handler = new ProblemExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), services.GetRequiredService<ILogger<ProblemExceptionHandler>>());

        Assert.True(await handler.TryHandleAsync(context, error, CancellationToken.None));

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        var line = Assert.Single(logs.Lines, l => l.Contains("Unhandled", StringComparison.Ordinal));
        Assert.Contains("POST /api/v1/circle/invitations/{token}/accept", line, StringComparison.Ordinal);
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
    }
}
