using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>Web Push: server secrets wrapped under the master key (the VAPID key), and sealed browser subscriptions.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122160000_Push")]
public sealed class Push : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable("AppSecrets", t => new
        {
            Name = t.Column<string>(maxLength: 64, nullable: false),
            MasterKeyVersion = t.Column<int>(nullable: false),
            Value = t.Column<byte[]>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_AppSecrets", x => x.Name));

        migrationBuilder.CreateTable("PushSubscriptions", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            EndpointHash = t.Column<string>(maxLength: 64, nullable: false),
            Details = t.Column<byte[]>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_PushSubscriptions", x => x.Id);
            t.ForeignKey("FK_PushSubscriptions_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_PushSubscriptions_UserId_EndpointHash", "PushSubscriptions", ["UserId", "EndpointHash"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("PushSubscriptions");
        migrationBuilder.DropTable("AppSecrets");
    }
}
