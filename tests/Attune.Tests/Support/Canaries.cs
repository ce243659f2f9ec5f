using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Support;

public static class Canaries
{
    /// <summary>Whether <paramref name="canary"/> is anywhere in the SQLite files, or (on PostgreSQL) in the table's sealed column.</summary>
    public static async Task<bool> HoldsPlaintextAsync(this AttuneApp app, string canary, string table, string column)
    {
        if (!app.IsPostgres)
        {
            var bytes = Encoding.UTF8.GetBytes(canary);
            return Privacy.PrivacyApiTests.FileContains(app.SqliteFile, bytes) || Privacy.PrivacyApiTests.FileContains(app.SqliteFile + "-wal", bytes);
        }
#pragma warning disable EF1002 // the table and column are the calling test's own constants; the canary is a parameter
        return await app.WithDbAsync(db => db.Database.SqlQueryRaw<int>(
            $"SELECT count(*)::int AS \"Value\" FROM \"{table}\" WHERE position(convert_to({{0}}, 'UTF8') in \"{column}\") > 0", canary).SingleAsync()) > 0;
#pragma warning restore EF1002
    }
}
