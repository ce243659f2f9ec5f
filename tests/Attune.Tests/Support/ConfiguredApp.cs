using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Support;

/// <summary>
/// An app with settings of the test's choosing: its own database provider, connection or key file;
/// and, for a test that needs one, a change to its services made after the app's own (a job
/// handler that stops partway, standing for a node that dies).
/// </summary>
public sealed class ConfiguredApp(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null) : AttuneApp(settings)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (services is not null) builder.ConfigureServices(services);
    }
}
