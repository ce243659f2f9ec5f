using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>The relationship's pair key, live conversations opened by "I'm here", and shared items with their witness reflections.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122170000_ThreadsAndShares")]
public sealed class ThreadsAndShares : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<byte[]>("PairKeyOwner", "CircleMembers", nullable: true);
        migrationBuilder.AddColumn<byte[]>("PairKeySupporter", "CircleMembers", nullable: true);

        migrationBuilder.CreateTable("CircleThreads", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            MemberId = t.Column<Guid>(nullable: false),
            ReachId = t.Column<Guid>(nullable: true),
            CreatedAt = t.Column<DateTime>(nullable: false),
            LastAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CircleThreads", x => x.Id);
            t.ForeignKey("FK_CircleThreads_CircleMembers_MemberId", x => x.MemberId, "CircleMembers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_CircleThreads_MemberId_ReachId", "CircleThreads", ["MemberId", "ReachId"], unique: true);

        migrationBuilder.CreateTable("ThreadMessages", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            ThreadId = t.Column<Guid>(nullable: false),
            AuthorId = t.Column<string>(maxLength: 64, nullable: false),
            Body = t.Column<byte[]>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_ThreadMessages", x => x.Id);
            t.ForeignKey("FK_ThreadMessages_CircleThreads_ThreadId", x => x.ThreadId, "CircleThreads", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_ThreadMessages_ThreadId_CreatedAt", "ThreadMessages", ["ThreadId", "CreatedAt"]);

        migrationBuilder.CreateTable("Shares", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            MemberId = t.Column<Guid>(nullable: false),
            OwnerId = t.Column<string>(nullable: false),
            WithUserId = t.Column<string>(nullable: false),
            ItemType = t.Column<string>(maxLength: 16, nullable: false),
            ItemId = t.Column<Guid>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            FirstReadAt = t.Column<DateTime>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Shares", x => x.Id);
            t.ForeignKey("FK_Shares_CircleMembers_MemberId", x => x.MemberId, "CircleMembers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_Shares_MemberId_ItemType_ItemId", "Shares", ["MemberId", "ItemType", "ItemId"], unique: true);
        migrationBuilder.CreateIndex("IX_Shares_OwnerId", "Shares", "OwnerId");
        migrationBuilder.CreateIndex("IX_Shares_WithUserId", "Shares", "WithUserId");

        migrationBuilder.CreateTable("WitnessReflections", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            ShareId = t.Column<Guid>(nullable: false),
            AuthorId = t.Column<string>(maxLength: 64, nullable: false),
            Text = t.Column<byte[]>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_WitnessReflections", x => x.Id);
            t.ForeignKey("FK_WitnessReflections_Shares_ShareId", x => x.ShareId, "Shares", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_WitnessReflections_ShareId_CreatedAt", "WitnessReflections", ["ShareId", "CreatedAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("WitnessReflections");
        migrationBuilder.DropTable("Shares");
        migrationBuilder.DropTable("ThreadMessages");
        migrationBuilder.DropTable("CircleThreads");
        migrationBuilder.DropColumn("PairKeySupporter", "CircleMembers");
        migrationBuilder.DropColumn("PairKeyOwner", "CircleMembers");
    }
}
