namespace Attune.Tests.Support;

/// <summary>The repository the tests run from: for tests that check a document beside the code.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Attune.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("The tests run outside the Attune repository.");
    }
}
