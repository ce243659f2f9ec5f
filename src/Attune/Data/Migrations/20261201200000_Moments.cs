using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>
/// A person's choice that quick exit also signs them out; when they were welcomed (people who
/// were here before the welcome count as welcomed); and when the owner of a share last looked at
/// it, so Today can tell new witness reflections from ones already read.
/// </summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261201200000_Moments")]
public sealed class Moments : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>("QuickExitSignsOut", "AspNetUsers", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<DateTime>("WelcomedAt", "AspNetUsers", nullable: true);
        migrationBuilder.Sql("UPDATE \"AspNetUsers\" SET \"WelcomedAt\" = \"CreatedAt\"");
        migrationBuilder.AddColumn<DateTime>("OwnerSeenAt", "Shares", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // Plain DROP COLUMN works on PostgreSQL and SQLite 3.35+ (none of these is indexed), where
        // EF's SQLite provider would refuse a DropColumnOperation outside a table rebuild.
        migrationBuilder.Sql("ALTER TABLE \"AspNetUsers\" DROP COLUMN \"QuickExitSignsOut\";");
        migrationBuilder.Sql("ALTER TABLE \"AspNetUsers\" DROP COLUMN \"WelcomedAt\";");
        migrationBuilder.Sql("ALTER TABLE \"Shares\" DROP COLUMN \"OwnerSeenAt\";");
    }
}
