using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Attune.Data.Migrations.Sqlite;

/// <inheritdoc />
public partial class SharedKeys : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "SharedKeyEpochs",
            columns: table => new
            {
                KeyId = table.Column<Guid>(type: "TEXT", nullable: false),
                Epoch = table.Column<int>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_SharedKeyEpochs", x => new { x.KeyId, x.Epoch });
            });

        migrationBuilder.CreateTable(
            name: "SharedKeyCopies",
            columns: table => new
            {
                KeyId = table.Column<Guid>(type: "TEXT", nullable: false),
                Epoch = table.Column<int>(type: "INTEGER", nullable: false),
                HolderId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Copy = table.Column<byte[]>(type: "BLOB", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_SharedKeyCopies", x => new { x.KeyId, x.Epoch, x.HolderId });
                table.ForeignKey(
                    name: "FK_SharedKeyCopies_AspNetUsers_HolderId",
                    column: x => x.HolderId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_SharedKeyCopies_SharedKeyEpochs_KeyId_Epoch",
                    columns: x => new { x.KeyId, x.Epoch },
                    principalTable: "SharedKeyEpochs",
                    principalColumns: new[] { "KeyId", "Epoch" },
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "IX_SharedKeyCopies_HolderId",
            table: "SharedKeyCopies",
            column: "HolderId");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(
            name: "SharedKeyCopies");

        migrationBuilder.DropTable(
            name: "SharedKeyEpochs");
    }
}
