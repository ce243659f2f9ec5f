using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Attune.Data.Migrations.Postgres;

/// <summary>The access log says which relationship a read came through, so a group's reader is named as the group knows them.</summary>
public partial class AccessLogVia : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(
            name: "Via",
            table: "AccessLog",
            type: "character varying(64)",
            maxLength: 64,
            nullable: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(
            name: "Via",
            table: "AccessLog");
    }
}
