using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>
/// Each reach recipient remembers the circle relationship it came through. Existing rows get the
/// relationship that was there when the reach was delivered (made before it, and still there);
/// a row whose relationship has since ended gets none, and stays closed.
/// </summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261201100100_ReachRecipientRelationship")]
public sealed class ReachRecipientRelationship : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<Guid>("MemberId", "ReachRecipients", nullable: true);
        migrationBuilder.Sql("""
            UPDATE "ReachRecipients" SET "MemberId" = (
                SELECT m."Id" FROM "CircleMembers" m JOIN "Reaches" r ON r."OwnerId" = m."OwnerId"
                WHERE r."Id" = "ReachRecipients"."ReachId" AND m."SupporterId" = "ReachRecipients"."SupporterId" AND m."CreatedAt" <= "ReachRecipients"."DeliveredAt");
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn("MemberId", "ReachRecipients");
}
