using Attune.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>Server-side sessions (so ending one takes effect at once) and the access log a person can read.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122090100_SessionsAndAccessLog")]
public sealed class SessionsAndAccessLog : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var m = migrationBuilder;
        m.CreateTable("Sessions", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            LastSeenAt = t.Column<DateTime>(nullable: false),
            Kind = t.Column<string>(maxLength: 8, nullable: false),
            Client = t.Column<string>(maxLength: 64, nullable: false),
            EndedAt = t.Column<DateTime>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_Sessions", x => x.Id);
            t.ForeignKey("FK_Sessions_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AccessLog", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            OwnerId = t.Column<string>(nullable: false),
            At = t.Column<DateTime>(nullable: false),
            ActorId = t.Column<string>(maxLength: 64, nullable: false),
            Action = t.Column<string>(maxLength: 32, nullable: false),
            ItemType = t.Column<string>(maxLength: 32, nullable: false),
            ItemId = t.Column<string>(maxLength: 64, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AccessLog", x => x.Id);
            t.ForeignKey("FK_AccessLog_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateIndex("IX_Sessions_UserId", "Sessions", "UserId");
        m.CreateIndex("IX_AccessLog_OwnerId_At", "AccessLog", ["OwnerId", "At"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("AccessLog");
        migrationBuilder.DropTable("Sessions");
    }
}
