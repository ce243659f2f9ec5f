using Attune.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>Check-in results: plain scores for charts, sealed item answers.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122100100_CheckIns")]
public sealed class CheckIns : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable("CheckIns", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            OwnerId = t.Column<string>(nullable: false),
            Instrument = t.Column<string>(maxLength: 16, nullable: false),
            TakenAt = t.Column<DateTime>(nullable: false),
            Total = t.Column<int>(nullable: false),
            Band = t.Column<string>(maxLength: 32, nullable: true),
            Subscales = t.Column<string>(maxLength: 1000, nullable: false),
            Safety = t.Column<bool>(nullable: false),
            Answers = t.Column<byte[]>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CheckIns", x => x.Id);
            t.ForeignKey("FK_CheckIns_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_CheckIns_OwnerId_Instrument_TakenAt", "CheckIns", ["OwnerId", "Instrument", "TakenAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("CheckIns");
}
