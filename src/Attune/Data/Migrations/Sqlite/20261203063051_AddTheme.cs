using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Attune.Data.Migrations.Sqlite;

/// <inheritdoc />
public partial class AddTheme : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(
            name: "Theme",
            table: "AspNetUsers",
            type: "TEXT",
            maxLength: 8,
            nullable: false,
            defaultValue: "system");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(
            name: "Theme",
            table: "AspNetUsers");
    }
}
