using Attune.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>Practice sessions (sealed answers, plain distress ratings) and per-person phase overrides.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122100200_Journey")]
public sealed class Journey : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable("PracticeSessions", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            OwnerId = t.Column<string>(nullable: false),
            PracticeSlug = t.Column<string>(maxLength: 64, nullable: false),
            Phase = t.Column<int>(nullable: false),
            StartedAt = t.Column<DateTime>(nullable: false),
            UpdatedAt = t.Column<DateTime>(nullable: false),
            CompletedAt = t.Column<DateTime>(nullable: true),
            SudsBefore = t.Column<int>(nullable: false),
            SudsLatest = t.Column<int>(nullable: true),
            SudsAfter = t.Column<int>(nullable: true),
            SupportOffered = t.Column<bool>(nullable: false),
            Choice = t.Column<string>(maxLength: 16, nullable: true),
            Answers = t.Column<byte[]>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_PracticeSessions", x => x.Id);
            t.ForeignKey("FK_PracticeSessions_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_PracticeSessions_OwnerId_Phase_CompletedAt", "PracticeSessions", ["OwnerId", "Phase", "CompletedAt"]);

        migrationBuilder.CreateTable("PhaseOverrides", t => new
        {
            OwnerId = t.Column<string>(nullable: false),
            Phase = t.Column<int>(nullable: false),
            Open = t.Column<bool>(nullable: false),
            SetBy = t.Column<string>(maxLength: 64, nullable: false),
            SetAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_PhaseOverrides", x => new { x.OwnerId, x.Phase });
            t.ForeignKey("FK_PhaseOverrides_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("PhaseOverrides");
        migrationBuilder.DropTable("PracticeSessions");
    }
}
