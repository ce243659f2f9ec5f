using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>The mail queue (emails leave from the job worker, sealed while they wait) and sign-in pauses per address and client.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261201100000_MailQueueAndSignInThrottles")]
public sealed class MailQueueAndSignInThrottles : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable("MailOutbox", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Kind = t.Column<string>(maxLength: 32, nullable: false),
            RecipientHash = t.Column<string>(maxLength: 64, nullable: false),
            Capped = t.Column<bool>(nullable: false),
            Payload = t.Column<byte[]>(nullable: true),
            CreatedAt = t.Column<DateTime>(nullable: false),
            SentAt = t.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_MailOutbox", x => x.Id));
        migrationBuilder.CreateIndex("IX_MailOutbox_RecipientHash_CreatedAt", "MailOutbox", ["RecipientHash", "CreatedAt"]);
        migrationBuilder.CreateIndex("IX_MailOutbox_CreatedAt", "MailOutbox", "CreatedAt");

        migrationBuilder.CreateTable("SignInThrottles", t => new
        {
            Key = t.Column<string>(maxLength: 64, nullable: false),
            Failures = t.Column<int>(nullable: false),
            FirstFailureAt = t.Column<DateTime>(nullable: false),
            PausedUntil = t.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_SignInThrottles", x => x.Key));
        migrationBuilder.CreateIndex("IX_SignInThrottles_FirstFailureAt", "SignInThrottles", "FirstFailureAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("SignInThrottles");
        migrationBuilder.DropTable("MailOutbox");
    }
}
