using Attune.Tests.Support;

namespace Attune.Tests.Security;

/// <summary>What Attune keeps on disk (the database, emails with live reset links) is the owner's alone: folders 0700, files 0600.</summary>
public sealed class FilePermissionTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void OwnerOnly(string path)
    {
        var mode = File.GetUnixFileMode(path);
        Assert.True((mode & GroupOrOther) == 0, $"{path} is {Convert.ToString((int)mode, 8)}: others can reach it");
    }

    [Fact]
    public async Task TheDataFolder_AndTheEmailsWaitingInIt_AreTheOwnersAlone()
    {
        if (OperatingSystem.IsWindows()) return; // Windows has no modes; its folders' ACLs are the operator's
        await app.RegisterAsync(); // writes the database and a confirmation email
        await app.SettledAsync();
        OwnerOnly(app.DataDirectory);
        OwnerOnly(app.MailDirectory);
        var emails = Directory.GetFiles(app.MailDirectory, "*.eml");
        Assert.NotEmpty(emails);
        foreach (var email in emails) OwnerOnly(email);
        if (app.IsPostgres) return;
        OwnerOnly(app.SqliteFile);
        foreach (var extra in new[] { "-wal", "-shm" })
            if (File.Exists(app.SqliteFile + extra)) OwnerOnly(app.SqliteFile + extra);
    }
}
