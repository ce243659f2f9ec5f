using Attune.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>Safety plans: one sealed document per person, with the counts that gate the journey.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122100000_SafetyPlans")]
public sealed class SafetyPlans : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable("SafetyPlans", t => new
        {
            OwnerId = t.Column<string>(nullable: false),
            Content = t.Column<byte[]>(nullable: false),
            HelperCount = t.Column<int>(nullable: false),
            CopingCount = t.Column<int>(nullable: false),
            UpdatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_SafetyPlans", x => x.OwnerId);
            t.ForeignKey("FK_SafetyPlans_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("SafetyPlans");
}
