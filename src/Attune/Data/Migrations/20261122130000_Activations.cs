using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>
/// Activations (the reaction log): sealed content; plain time, local day and hour, intensity,
/// felt age, choice; one row per pattern code. Journal entries can link to the activation they
/// were written from.
/// </summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122130000_Activations")]
public sealed class Activations : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable("Activations", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            OwnerId = t.Column<string>(nullable: false),
            OccurredAt = t.Column<DateTime>(nullable: false),
            LocalDay = t.Column<int>(nullable: false),
            LocalHour = t.Column<int>(nullable: false),
            Intensity = t.Column<int>(nullable: false),
            FeltAge = t.Column<int>(nullable: true),
            Choice = t.Column<string>(maxLength: 16, nullable: true),
            CreatedAt = t.Column<DateTime>(nullable: false),
            UpdatedAt = t.Column<DateTime>(nullable: false),
            Content = t.Column<byte[]>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Activations", x => x.Id);
            t.ForeignKey("FK_Activations_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_Activations_OwnerId_OccurredAt", "Activations", ["OwnerId", "OccurredAt"]);
        migrationBuilder.CreateIndex("IX_Activations_OwnerId_LocalDay", "Activations", ["OwnerId", "LocalDay"]);

        migrationBuilder.CreateTable("ActivationPatterns", t => new
        {
            ActivationId = t.Column<Guid>(nullable: false),
            Pattern = t.Column<string>(maxLength: 32, nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_ActivationPatterns", x => new { x.ActivationId, x.Pattern });
            t.ForeignKey("FK_ActivationPatterns_Activations_ActivationId", x => x.ActivationId, "Activations", "Id", onDelete: ReferentialAction.Cascade);
        });

        migrationBuilder.AddColumn<Guid>("ActivationId", "JournalEntries", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("ActivationId", "JournalEntries");
        migrationBuilder.DropTable("ActivationPatterns");
        migrationBuilder.DropTable("Activations");
    }
}
