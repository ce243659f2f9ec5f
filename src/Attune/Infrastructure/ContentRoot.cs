namespace Attune.Infrastructure;

/// <summary>
/// Where the app finds its appsettings.json, wwwroot and Content: its own folder, not the folder
/// it was started from. A service manager may start <c>dotnet /srv/attune/Attune.dll</c> from
/// anywhere; with the working folder as content root, the app would run without its settings
/// (logging request URLs, search words included) and without its static files.
/// </summary>
public static class ContentRoot
{
    /// <summary>Null (the host's own default) when a content root is configured: <c>--contentRoot</c>, or ASPNETCORE_/DOTNET_CONTENTROOT.</summary>
    public static string? Of(string[] args)
    {
        if (args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))) return null;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT")))
            return null;
        // "dotnet run" starts the app from its project folder, where appsettings.json and wwwroot live: keep that.
        var current = Directory.GetCurrentDirectory();
        if (File.Exists(Path.Combine(current, "Attune.csproj"))) return null;
        return AppContext.BaseDirectory;
    }
}
