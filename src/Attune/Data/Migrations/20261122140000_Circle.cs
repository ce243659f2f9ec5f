using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>The circle of support: invitations (hashed single-use tokens, sealed email and name) and relationships.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122140000_Circle")]
public sealed class Circle : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable("CircleInvitations", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            OwnerId = t.Column<string>(nullable: false),
            TokenHash = t.Column<string>(maxLength: 64, nullable: false),
            Email = t.Column<byte[]>(nullable: false),
            Name = t.Column<byte[]>(nullable: false),
            CanReceiveReaches = t.Column<bool>(nullable: false),
            CanSeeShared = t.Column<bool>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            ExpiresAt = t.Column<DateTime>(nullable: false),
            AcceptedAt = t.Column<DateTime>(nullable: true),
            RevokedAt = t.Column<DateTime>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CircleInvitations", x => x.Id);
            t.ForeignKey("FK_CircleInvitations_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_CircleInvitations_TokenHash", "CircleInvitations", "TokenHash", unique: true);
        migrationBuilder.CreateIndex("IX_CircleInvitations_OwnerId", "CircleInvitations", "OwnerId");

        migrationBuilder.CreateTable("CircleMembers", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            OwnerId = t.Column<string>(nullable: false),
            SupporterId = t.Column<string>(nullable: false),
            Name = t.Column<byte[]>(nullable: false),
            CanReceiveReaches = t.Column<bool>(nullable: false),
            CanSeeShared = t.Column<bool>(nullable: false),
            Order = t.Column<int>(nullable: false),
            AvailableFrom = t.Column<int>(nullable: true),
            AvailableTo = t.Column<int>(nullable: true),
            TalkNowAnytime = t.Column<bool>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CircleMembers", x => x.Id);
            t.ForeignKey("FK_CircleMembers_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_CircleMembers_AspNetUsers_SupporterId", x => x.SupporterId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_CircleMembers_OwnerId_SupporterId", "CircleMembers", ["OwnerId", "SupporterId"], unique: true);
        migrationBuilder.CreateIndex("IX_CircleMembers_SupporterId", "CircleMembers", "SupporterId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("CircleMembers");
        migrationBuilder.DropTable("CircleInvitations");
    }
}
