using Attune.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>Journal entries: sealed content and images, plain kind, dates, flags, mood numbers and links.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122110000_Journal")]
public sealed class Journal : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable("JournalEntries", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            OwnerId = t.Column<string>(nullable: false),
            Kind = t.Column<string>(maxLength: 16, nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            UpdatedAt = t.Column<DateTime>(nullable: false),
            Version = t.Column<int>(nullable: false),
            Draft = t.Column<bool>(nullable: false),
            Parked = t.Column<bool>(nullable: false),
            Valence = t.Column<int>(nullable: true),
            Energy = t.Column<int>(nullable: true),
            PromptId = t.Column<string>(maxLength: 64, nullable: true),
            PracticeSessionId = t.Column<Guid>(nullable: true),
            Content = t.Column<byte[]>(nullable: false),
            SearchText = t.Column<byte[]>(nullable: false),
            Image = t.Column<byte[]>(nullable: true),
            ImageType = t.Column<string>(maxLength: 16, nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_JournalEntries", x => x.Id);
            t.ForeignKey("FK_JournalEntries_AspNetUsers_OwnerId", x => x.OwnerId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_JournalEntries_OwnerId_CreatedAt", "JournalEntries", ["OwnerId", "CreatedAt"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("JournalEntries");
}
