namespace Attune.Tests.Support;

/// <summary>An app with settings of the test's choosing: its own database provider, connection or key file.</summary>
public sealed class ConfiguredApp(Dictionary<string, string?> settings) : AttuneApp(settings);
