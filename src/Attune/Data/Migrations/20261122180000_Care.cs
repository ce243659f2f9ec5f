using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>Therapist profiles (the public directory), care relationships with their consents, assignments, secure messages, appointments, private session notes, shares with a therapist, and a sealed reason on access-log rows.</summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122180000_Care")]
public sealed class Care : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<byte[]>("Detail", "AccessLog", nullable: true);

        migrationBuilder.CreateTable("TherapistProfiles", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            Name = t.Column<string>(maxLength: 100, nullable: false),
            Credentials = t.Column<string>(maxLength: 200, nullable: false),
            LicenceNumber = t.Column<string>(maxLength: 64, nullable: false),
            LicenceRegion = t.Column<string>(maxLength: 100, nullable: false),
            Verified = t.Column<bool>(nullable: false),
            Modalities = t.Column<string>(maxLength: 300, nullable: false),
            Online = t.Column<bool>(nullable: false),
            InPerson = t.Column<bool>(nullable: false),
            City = t.Column<string>(maxLength: 100, nullable: true),
            Region = t.Column<string>(maxLength: 100, nullable: true),
            Country = t.Column<string>(maxLength: 2, nullable: false),
            Languages = t.Column<string>(maxLength: 500, nullable: false),
            FeeMin = t.Column<int>(nullable: true),
            FeeMax = t.Column<int>(nullable: true),
            Currency = t.Column<string>(maxLength: 3, nullable: true),
            SlidingScale = t.Column<bool>(nullable: false),
            Accepting = t.Column<bool>(nullable: false),
            Bio = t.Column<string>(maxLength: 2000, nullable: false),
            Published = t.Column<bool>(nullable: false),
            HiddenByAdmin = t.Column<bool>(nullable: false),
            Photo = t.Column<byte[]>(nullable: true),
            PhotoType = t.Column<string>(maxLength: 16, nullable: true),
            Search = t.Column<string>(maxLength: 4000, nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            UpdatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_TherapistProfiles", x => x.Id);
            t.ForeignKey("FK_TherapistProfiles_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_TherapistProfiles_UserId", "TherapistProfiles", "UserId", unique: true);
        migrationBuilder.CreateIndex("IX_TherapistProfiles_Published_HiddenByAdmin_Country", "TherapistProfiles", ["Published", "HiddenByAdmin", "Country"]);

        migrationBuilder.CreateTable("CareRelationships", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            PersonId = t.Column<string>(nullable: false),
            TherapistId = t.Column<string>(nullable: false),
            Status = t.Column<string>(maxLength: 16, nullable: false),
            PairKeyPerson = t.Column<byte[]>(nullable: false),
            PairKeyTherapist = t.Column<byte[]>(nullable: false),
            Message = t.Column<byte[]>(nullable: true),
            Signs = t.Column<byte[]>(nullable: true),
            ConsentJourney = t.Column<bool>(nullable: false),
            ConsentCheckIns = t.Column<bool>(nullable: false),
            ConsentActivations = t.Column<bool>(nullable: false),
            RequestedAt = t.Column<DateTime>(nullable: false),
            AnsweredAt = t.Column<DateTime>(nullable: true),
            ConsentsChangedAt = t.Column<DateTime>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CareRelationships", x => x.Id);
            t.ForeignKey("FK_CareRelationships_AspNetUsers_PersonId", x => x.PersonId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_CareRelationships_AspNetUsers_TherapistId", x => x.TherapistId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_CareRelationships_PersonId_TherapistId", "CareRelationships", ["PersonId", "TherapistId"], unique: true);
        migrationBuilder.CreateIndex("IX_CareRelationships_TherapistId_Status", "CareRelationships", ["TherapistId", "Status"]);

        // A share may now go to a therapist: through the care relationship instead of a circle membership.
        if (migrationBuilder.IsSqlite()) RebuildSharesOnSqlite(migrationBuilder);
        else
        {
            migrationBuilder.AlterColumn<Guid>("MemberId", "Shares", nullable: true, oldClrType: typeof(Guid), oldNullable: false);
            migrationBuilder.AddColumn<Guid>("CareId", "Shares", nullable: true);
            migrationBuilder.CreateIndex("IX_Shares_CareId_ItemType_ItemId", "Shares", ["CareId", "ItemType", "ItemId"], unique: true);
            migrationBuilder.AddForeignKey("FK_Shares_CareRelationships_CareId", "Shares", "CareId", "CareRelationships", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
        }

        migrationBuilder.CreateTable("CareAssignments", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            CareId = t.Column<Guid>(nullable: false),
            Kind = t.Column<string>(maxLength: 16, nullable: false),
            Code = t.Column<string>(maxLength: 64, nullable: false),
            DueAt = t.Column<DateTime>(nullable: false),
            Note = t.Column<byte[]>(nullable: true),
            CreatedAt = t.Column<DateTime>(nullable: false),
            RepeatDays = t.Column<int>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CareAssignments", x => x.Id);
            t.ForeignKey("FK_CareAssignments_CareRelationships_CareId", x => x.CareId, "CareRelationships", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_CareAssignments_CareId_DueAt", "CareAssignments", ["CareId", "DueAt"]);

        migrationBuilder.CreateTable("CareMessages", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            CareId = t.Column<Guid>(nullable: false),
            AuthorId = t.Column<string>(maxLength: 64, nullable: false),
            Body = t.Column<byte[]>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CareMessages", x => x.Id);
            t.ForeignKey("FK_CareMessages_CareRelationships_CareId", x => x.CareId, "CareRelationships", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_CareMessages_CareId_CreatedAt", "CareMessages", ["CareId", "CreatedAt"]);

        migrationBuilder.CreateTable("CareAppointments", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            CareId = t.Column<Guid>(nullable: false),
            ProposalId = t.Column<Guid>(nullable: false),
            StartsAt = t.Column<DateTime>(nullable: false),
            Minutes = t.Column<int>(nullable: false),
            Where = t.Column<byte[]>(nullable: true),
            Status = t.Column<string>(maxLength: 16, nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_CareAppointments", x => x.Id);
            t.ForeignKey("FK_CareAppointments_CareRelationships_CareId", x => x.CareId, "CareRelationships", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_CareAppointments_CareId_StartsAt", "CareAppointments", ["CareId", "StartsAt"]);

        migrationBuilder.CreateTable("SessionNotes", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TherapistId = t.Column<string>(nullable: false),
            PersonId = t.Column<string>(nullable: false),
            SessionDate = t.Column<DateOnly>(nullable: false),
            Text = t.Column<byte[]>(nullable: false),
            PersonName = t.Column<byte[]>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            UpdatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_SessionNotes", x => x.Id);
            t.ForeignKey("FK_SessionNotes_AspNetUsers_TherapistId", x => x.TherapistId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_SessionNotes_AspNetUsers_PersonId", x => x.PersonId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });
        migrationBuilder.CreateIndex("IX_SessionNotes_TherapistId_PersonId_SessionDate", "SessionNotes", ["TherapistId", "PersonId", "SessionDate"]);
        migrationBuilder.CreateIndex("IX_SessionNotes_PersonId", "SessionNotes", "PersonId");
    }

    /// <summary>
    /// SQLite can't change a column or add a foreign key in place, and EF rebuilds tables only for
    /// migrations it generated; so the table is rebuilt here the same way, keeping every row (and,
    /// with foreign keys off meanwhile, every witness reflection that points at one).
    /// </summary>
    private static void RebuildSharesOnSqlite(MigrationBuilder m)
    {
        m.Sql("PRAGMA foreign_keys = 0;", suppressTransaction: true);
        m.Sql("""
            CREATE TABLE "ef_temp_Shares" (
                "Id" TEXT NOT NULL CONSTRAINT "PK_Shares" PRIMARY KEY,
                "MemberId" TEXT NULL,
                "CareId" TEXT NULL,
                "OwnerId" TEXT NOT NULL,
                "WithUserId" TEXT NOT NULL,
                "ItemType" TEXT NOT NULL,
                "ItemId" TEXT NOT NULL,
                "CreatedAt" TEXT NOT NULL,
                "FirstReadAt" TEXT NULL,
                CONSTRAINT "FK_Shares_CareRelationships_CareId" FOREIGN KEY ("CareId") REFERENCES "CareRelationships" ("Id") ON DELETE CASCADE,
                CONSTRAINT "FK_Shares_CircleMembers_MemberId" FOREIGN KEY ("MemberId") REFERENCES "CircleMembers" ("Id") ON DELETE CASCADE
            );
            """, suppressTransaction: true);
        m.Sql("""
            INSERT INTO "ef_temp_Shares" ("Id", "MemberId", "OwnerId", "WithUserId", "ItemType", "ItemId", "CreatedAt", "FirstReadAt")
            SELECT "Id", "MemberId", "OwnerId", "WithUserId", "ItemType", "ItemId", "CreatedAt", "FirstReadAt" FROM "Shares";
            """, suppressTransaction: true);
        m.Sql("DROP TABLE \"Shares\";", suppressTransaction: true);
        m.Sql("ALTER TABLE \"ef_temp_Shares\" RENAME TO \"Shares\";", suppressTransaction: true);
        m.Sql("CREATE UNIQUE INDEX \"IX_Shares_MemberId_ItemType_ItemId\" ON \"Shares\" (\"MemberId\", \"ItemType\", \"ItemId\");", suppressTransaction: true);
        m.Sql("CREATE UNIQUE INDEX \"IX_Shares_CareId_ItemType_ItemId\" ON \"Shares\" (\"CareId\", \"ItemType\", \"ItemId\");", suppressTransaction: true);
        m.Sql("CREATE INDEX \"IX_Shares_OwnerId\" ON \"Shares\" (\"OwnerId\");", suppressTransaction: true);
        m.Sql("CREATE INDEX \"IX_Shares_WithUserId\" ON \"Shares\" (\"WithUserId\");", suppressTransaction: true);
        m.Sql("PRAGMA foreign_keys = 1;", suppressTransaction: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("SessionNotes");
        migrationBuilder.DropTable("CareAppointments");
        migrationBuilder.DropTable("CareMessages");
        migrationBuilder.DropTable("CareAssignments");
        if (!migrationBuilder.IsSqlite()) // on SQLite the looser Shares table stays; it holds the older rows as they were
        {
            migrationBuilder.DropForeignKey("FK_Shares_CareRelationships_CareId", "Shares");
            migrationBuilder.DropIndex("IX_Shares_CareId_ItemType_ItemId", "Shares");
            migrationBuilder.DropColumn("CareId", "Shares");
            migrationBuilder.AlterColumn<Guid>("MemberId", "Shares", nullable: false, oldClrType: typeof(Guid), oldNullable: true);
        }
        migrationBuilder.DropTable("CareRelationships");
        migrationBuilder.DropTable("TherapistProfiles");
        migrationBuilder.DropColumn("Detail", "AccessLog");
    }
}
