using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Data.Migrations;

/// <summary>Therapist profiles (the public directory), care relationships with their consents, assignments, secure messages, appointments, private session notes, and a sealed reason on access-log rows.</summary>
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

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("SessionNotes");
        migrationBuilder.DropTable("CareAppointments");
        migrationBuilder.DropTable("CareMessages");
        migrationBuilder.DropTable("CareAssignments");
        migrationBuilder.DropTable("CareRelationships");
        migrationBuilder.DropTable("TherapistProfiles");
        migrationBuilder.DropColumn("Detail", "AccessLog");
    }
}
