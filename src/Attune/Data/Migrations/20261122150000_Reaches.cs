using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>Reaches and who they went to (sealed message and answers), and the job table for escalation.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122150000_Reaches")]
public sealed class Reaches : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable("Reaches", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            OwnerId = t.Column<string>(nullable: false),
            Urgency = t.Column<string>(maxLength: 16, nullable: false),
            Message = t.Column<byte[]>(nullable: true),
            EscalateAfterMinutes = t.Column<int>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            ExhaustedAt = t.Column<DateTime>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Reaches", x => x.Id);
            t.ForeignKey("FK_Reaches_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_Reaches_OwnerId_CreatedAt", "Reaches", ["OwnerId", "CreatedAt"]);

        migrationBuilder.CreateTable("ReachRecipients", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            ReachId = t.Column<Guid>(nullable: false),
            SupporterId = t.Column<string>(nullable: false),
            Wave = t.Column<int>(nullable: false),
            DeliveredAt = t.Column<DateTime>(nullable: false),
            SeenAt = t.Column<DateTime>(nullable: true),
            RespondedAt = t.Column<DateTime>(nullable: true),
            ResponseKind = t.Column<string>(maxLength: 8, nullable: true),
            ResponseMinutes = t.Column<int>(nullable: true),
            ResponseMessage = t.Column<byte[]>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_ReachRecipients", x => x.Id);
            t.ForeignKey("FK_ReachRecipients_Reaches_ReachId", x => x.ReachId, "Reaches", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_ReachRecipients_AspNetUsers_SupporterId", x => x.SupporterId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_ReachRecipients_ReachId_SupporterId", "ReachRecipients", ["ReachId", "SupporterId"], unique: true);
        migrationBuilder.CreateIndex("IX_ReachRecipients_SupporterId", "ReachRecipients", "SupporterId");

        migrationBuilder.CreateTable("Jobs", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Kind = t.Column<string>(maxLength: 32, nullable: false),
            Subject = t.Column<Guid>(nullable: false),
            DueAt = t.Column<DateTime>(nullable: false),
            ClaimedUntil = t.Column<DateTime>(nullable: true),
            Attempts = t.Column<int>(nullable: false),
            DoneAt = t.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_Jobs", x => x.Id));
        migrationBuilder.CreateIndex("IX_Jobs_DoneAt_DueAt", "Jobs", ["DoneAt", "DueAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("Jobs");
        migrationBuilder.DropTable("ReachRecipients");
        migrationBuilder.DropTable("Reaches");
    }
}
