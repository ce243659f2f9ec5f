namespace Attune.Infrastructure;

/// <summary>
/// Owner-only folders (0700) and files (0600) for what Attune keeps on disk: the database, the
/// key file, emails waiting in the pickup folder (which can hold a live reset link).
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder 0700, or takes group and other access away from one that exists.</summary>
    public static string EnsureFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return path;
        }
        if (!Directory.Exists(path)) Directory.CreateDirectory(path, Folder);
        else if ((System.IO.File.GetUnixFileMode(path) & Others) != 0) System.IO.File.SetUnixFileMode(path, Folder);
        return path;
    }

    /// <summary>Takes group and other access away from a file (0600), if it exists.</summary>
    public static void MakePrivate(string path)
    {
        if (OperatingSystem.IsWindows() || !System.IO.File.Exists(path)) return;
        if ((System.IO.File.GetUnixFileMode(path) & Others) != 0) System.IO.File.SetUnixFileMode(path, File);
    }

    /// <summary>
    /// Creates an empty file 0600 if it isn't there, or tightens one that is. SQLite gives a
    /// database's -wal and -shm files the database file's own mode, so making the database file
    /// this way first covers them too.
    /// </summary>
    public static void EnsurePrivateFile(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        if (!System.IO.File.Exists(path))
        {
            try
            {
                using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = File });
            }
            catch (IOException) when (System.IO.File.Exists(path)) { } // made by someone else meanwhile
        }
        MakePrivate(path);
    }
}
