using Attune.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>
/// Check-in results are no longer stored plain. Total, band, subscales and the item-9 flag were
/// always worked out from the answers, which are sealed in the same row, so existing rows lose
/// nothing: the plain copies are dropped and the app scores the opened answers instead. Plain
/// <c>ALTER TABLE … DROP COLUMN</c> works on PostgreSQL and on SQLite (3.35 and later; none of
/// these columns is indexed or constrained), so no table rebuild is needed.
/// </summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261201100200_CheckInResultsSealed")]
public sealed class CheckInResultsSealed : Migration
{
    private static readonly string[] Plain = ["Total", "Band", "Subscales", "Safety"];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var column in Plain) migrationBuilder.Sql($"ALTER TABLE \"CheckIns\" DROP COLUMN \"{column}\";");
    }

    /// <summary>Going back restores the columns empty; the results stay recoverable only by opening the answers.</summary>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>("Total", "CheckIns", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<string>("Band", "CheckIns", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>("Subscales", "CheckIns", maxLength: 1000, nullable: false, defaultValue: "{}");
        migrationBuilder.AddColumn<bool>("Safety", "CheckIns", nullable: false, defaultValue: false);
    }
}
