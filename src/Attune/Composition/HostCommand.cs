using Attune.Features.Account;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;

namespace Attune.Composition;

/// <summary>
/// What Attune was started to do: serve (optionally with <c>--demo</c>), or run one command and
/// stop — <c>rotate-master-key</c>, <c>rewrap-keys</c> (docs/operations.md) or <c>admin grant|revoke EMAIL</c>.
/// The words of a command are kept away from the host's own arguments.
/// </summary>
public sealed class HostCommand
{
    private readonly string? _keys;
    private readonly string[]? _admin;

    private HostCommand(string[] args)
    {
        _keys = args.FirstOrDefault(a => a is "rotate-master-key" or "rewrap-keys");
        _admin = args.Length > 0 && args[0] == "admin" ? args : null;
        var hostArgs = _admin is not null ? args.Skip(3).ToArray() : args.Where(a => a != _keys && a != "--demo").ToArray();
        HostOptions = new WebApplicationOptions { Args = hostArgs, ContentRootPath = ContentRoot.Of(hostArgs) };
        Demo = args.Contains("--demo");
    }

    public static HostCommand Parse(string[] args) => new(args);

    public WebApplicationOptions HostOptions { get; }

    /// <summary>Serve the demo people (<c>Attune:Demo</c>).</summary>
    public bool Demo { get; }

    /// <summary>A command to run instead of serving.</summary>
    public bool IsCommand => _keys is not null || _admin is not null;

    /// <summary>Runs the command and returns the process's exit code.</summary>
    public Task<int> RunAsync(IServiceProvider services) => _keys is not null
        ? KeyRotation.RunCommandAsync(services, addKey: _keys == "rotate-master-key")
        : Administrators.RunCommandAsync(services, _admin!);
}
