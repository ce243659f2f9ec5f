using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Attune.Data.Migrations.Postgres;

/// <inheritdoc />
public partial class AddGroups : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<Guid>(
            name: "GroupId",
            table: "Shares",
            type: "uuid",
            nullable: true);

        migrationBuilder.CreateTable(
            name: "Groups",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                FacilitatorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                FacilitatorName = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                Title = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                ForWhom = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                Focus = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                Part = table.Column<int>(type: "integer", nullable: true),
                Language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                Capacity = table.Column<int>(type: "integer", nullable: false),
                TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                MeetingMinutes = table.Column<int>(type: "integer", nullable: false),
                Join = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                Listed = table.Column<bool>(type: "boolean", nullable: false),
                ApprovedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                ApprovedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                HiddenByAdmin = table.Column<bool>(type: "boolean", nullable: false),
                Questions = table.Column<string>(type: "text", nullable: false),
                Agreements = table.Column<string>(type: "text", nullable: false),
                Retention = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                InviteTokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                FollowsGroupId = table.Column<Guid>(type: "uuid", nullable: true),
                CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                ClosedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Groups", x => x.Id);
                table.ForeignKey(
                    name: "FK_Groups_AspNetUsers_FacilitatorId",
                    column: x => x.FacilitatorId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_Groups_Groups_FollowsGroupId",
                    column: x => x.FollowsGroupId,
                    principalTable: "Groups",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.SetNull);
            });

        migrationBuilder.CreateTable(
            name: "GroupApplications",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                GroupId = table.Column<Guid>(type: "uuid", nullable: false),
                ApplicantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                Answers = table.Column<byte[]>(type: "bytea", nullable: false),
                DeclineNote = table.Column<byte[]>(type: "bytea", nullable: true),
                KeyApplicant = table.Column<byte[]>(type: "bytea", nullable: false),
                KeyFacilitator = table.Column<byte[]>(type: "bytea", nullable: false),
                ShareMeasures = table.Column<bool>(type: "boolean", nullable: false),
                TherapistKnows = table.Column<bool>(type: "boolean", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupApplications", x => x.Id);
                table.ForeignKey(
                    name: "FK_GroupApplications_AspNetUsers_ApplicantId",
                    column: x => x.ApplicantId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupApplications_Groups_GroupId",
                    column: x => x.GroupId,
                    principalTable: "Groups",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupBoardPosts",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                GroupId = table.Column<Guid>(type: "uuid", nullable: false),
                AuthorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Body = table.Column<byte[]>(type: "bytea", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupBoardPosts", x => x.Id);
                table.ForeignKey(
                    name: "FK_GroupBoardPosts_AspNetUsers_AuthorId",
                    column: x => x.AuthorId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupBoardPosts_Groups_GroupId",
                    column: x => x.GroupId,
                    principalTable: "Groups",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupMeasures",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                GroupId = table.Column<Guid>(type: "uuid", nullable: false),
                UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                CheckInId = table.Column<Guid>(type: "uuid", nullable: false),
                Instrument = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                Point = table.Column<int>(type: "integer", nullable: false),
                LinkedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupMeasures", x => x.Id);
                table.ForeignKey(
                    name: "FK_GroupMeasures_AspNetUsers_UserId",
                    column: x => x.UserId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupMeasures_CheckIns_CheckInId",
                    column: x => x.CheckInId,
                    principalTable: "CheckIns",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupMeasures_Groups_GroupId",
                    column: x => x.GroupId,
                    principalTable: "Groups",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupMeetings",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                GroupId = table.Column<Guid>(type: "uuid", nullable: false),
                Number = table.Column<int>(type: "integer", nullable: false),
                StartsAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                Minutes = table.Column<int>(type: "integer", nullable: false),
                Sequence = table.Column<int>(type: "integer", nullable: false),
                CancelledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupMeetings", x => x.Id);
                table.ForeignKey(
                    name: "FK_GroupMeetings_Groups_GroupId",
                    column: x => x.GroupId,
                    principalTable: "Groups",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupMembers",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                GroupId = table.Column<Guid>(type: "uuid", nullable: false),
                UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                GroupName = table.Column<byte[]>(type: "bytea", nullable: true),
                RemovalReason = table.Column<byte[]>(type: "bytea", nullable: true),
                AgreedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                LeftAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                MeasuresConsent = table.Column<bool>(type: "boolean", nullable: false),
                ShareOwnNumbers = table.Column<bool>(type: "boolean", nullable: false),
                FollowUp = table.Column<bool>(type: "boolean", nullable: false),
                PairKeyFacilitator = table.Column<byte[]>(type: "bytea", nullable: true),
                PairKeyMember = table.Column<byte[]>(type: "bytea", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupMembers", x => x.Id);
                table.ForeignKey(
                    name: "FK_GroupMembers_AspNetUsers_UserId",
                    column: x => x.UserId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupMembers_Groups_GroupId",
                    column: x => x.GroupId,
                    principalTable: "Groups",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupBoardWitness",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                PostId = table.Column<Guid>(type: "uuid", nullable: false),
                AuthorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                Text = table.Column<byte[]>(type: "bytea", nullable: true),
                CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupBoardWitness", x => x.Id);
                table.ForeignKey(
                    name: "FK_GroupBoardWitness_AspNetUsers_AuthorId",
                    column: x => x.AuthorId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupBoardWitness_GroupBoardPosts_PostId",
                    column: x => x.PostId,
                    principalTable: "GroupBoardPosts",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupAttendances",
            columns: table => new
            {
                MeetingId = table.Column<Guid>(type: "uuid", nullable: false),
                UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Coming = table.Column<bool>(type: "boolean", nullable: true),
                CameAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                MissedNoticeAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupAttendances", x => new { x.MeetingId, x.UserId });
                table.ForeignKey(
                    name: "FK_GroupAttendances_AspNetUsers_UserId",
                    column: x => x.UserId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupAttendances_GroupMeetings_MeetingId",
                    column: x => x.MeetingId,
                    principalTable: "GroupMeetings",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupRoomChecks",
            columns: table => new
            {
                MeetingId = table.Column<Guid>(type: "uuid", nullable: false),
                UserId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Kind = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                Suds = table.Column<int>(type: "integer", nullable: true),
                Word = table.Column<byte[]>(type: "bytea", nullable: true),
                At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupRoomChecks", x => new { x.MeetingId, x.UserId, x.Kind });
                table.ForeignKey(
                    name: "FK_GroupRoomChecks_AspNetUsers_UserId",
                    column: x => x.UserId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupRoomChecks_GroupMeetings_MeetingId",
                    column: x => x.MeetingId,
                    principalTable: "GroupMeetings",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupRoomPosts",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                MeetingId = table.Column<Guid>(type: "uuid", nullable: false),
                AuthorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Round = table.Column<int>(type: "integer", nullable: false),
                Body = table.Column<byte[]>(type: "bytea", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupRoomPosts", x => x.Id);
                table.ForeignKey(
                    name: "FK_GroupRoomPosts_AspNetUsers_AuthorId",
                    column: x => x.AuthorId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupRoomPosts_GroupMeetings_MeetingId",
                    column: x => x.MeetingId,
                    principalTable: "GroupMeetings",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupRooms",
            columns: table => new
            {
                MeetingId = table.Column<Guid>(type: "uuid", nullable: false),
                GroupId = table.Column<Guid>(type: "uuid", nullable: false),
                Version = table.Column<long>(type: "bigint", nullable: false),
                State = table.Column<string>(type: "text", nullable: false),
                Prompt = table.Column<byte[]>(type: "bytea", nullable: true),
                OpenedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                ClosedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                CloseReason = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupRooms", x => x.MeetingId);
                table.ForeignKey(
                    name: "FK_GroupRooms_GroupMeetings_MeetingId",
                    column: x => x.MeetingId,
                    principalTable: "GroupMeetings",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupMessages",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                MemberRowId = table.Column<Guid>(type: "uuid", nullable: false),
                AuthorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Body = table.Column<byte[]>(type: "bytea", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupMessages", x => x.Id);
                table.ForeignKey(
                    name: "FK_GroupMessages_GroupMembers_MemberRowId",
                    column: x => x.MemberRowId,
                    principalTable: "GroupMembers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "GroupRoomWitness",
            columns: table => new
            {
                Id = table.Column<Guid>(type: "uuid", nullable: false),
                PostId = table.Column<Guid>(type: "uuid", nullable: false),
                AuthorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                Text = table.Column<byte[]>(type: "bytea", nullable: true),
                CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_GroupRoomWitness", x => x.Id);
                table.ForeignKey(
                    name: "FK_GroupRoomWitness_AspNetUsers_AuthorId",
                    column: x => x.AuthorId,
                    principalTable: "AspNetUsers",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "FK_GroupRoomWitness_GroupRoomPosts_PostId",
                    column: x => x.PostId,
                    principalTable: "GroupRoomPosts",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "IX_Shares_GroupId_ItemType_ItemId",
            table: "Shares",
            columns: new[] { "GroupId", "ItemType", "ItemId" },
            unique: true);

        migrationBuilder.CreateIndex(
            name: "IX_GroupApplications_ApplicantId",
            table: "GroupApplications",
            column: "ApplicantId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupApplications_GroupId_ApplicantId",
            table: "GroupApplications",
            columns: new[] { "GroupId", "ApplicantId" },
            unique: true);

        migrationBuilder.CreateIndex(
            name: "IX_GroupAttendances_UserId",
            table: "GroupAttendances",
            column: "UserId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupBoardPosts_AuthorId",
            table: "GroupBoardPosts",
            column: "AuthorId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupBoardPosts_GroupId_CreatedAt",
            table: "GroupBoardPosts",
            columns: new[] { "GroupId", "CreatedAt" });

        migrationBuilder.CreateIndex(
            name: "IX_GroupBoardWitness_AuthorId",
            table: "GroupBoardWitness",
            column: "AuthorId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupBoardWitness_PostId_AuthorId_Kind",
            table: "GroupBoardWitness",
            columns: new[] { "PostId", "AuthorId", "Kind" },
            unique: true);

        migrationBuilder.CreateIndex(
            name: "IX_GroupMeasures_CheckInId",
            table: "GroupMeasures",
            column: "CheckInId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupMeasures_GroupId_UserId_Instrument_Point",
            table: "GroupMeasures",
            columns: new[] { "GroupId", "UserId", "Instrument", "Point" },
            unique: true);

        migrationBuilder.CreateIndex(
            name: "IX_GroupMeasures_UserId",
            table: "GroupMeasures",
            column: "UserId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupMeetings_GroupId_StartsAt",
            table: "GroupMeetings",
            columns: new[] { "GroupId", "StartsAt" });

        migrationBuilder.CreateIndex(
            name: "IX_GroupMembers_GroupId_UserId",
            table: "GroupMembers",
            columns: new[] { "GroupId", "UserId" },
            unique: true);

        migrationBuilder.CreateIndex(
            name: "IX_GroupMembers_UserId",
            table: "GroupMembers",
            column: "UserId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupMessages_MemberRowId_CreatedAt",
            table: "GroupMessages",
            columns: new[] { "MemberRowId", "CreatedAt" });

        migrationBuilder.CreateIndex(
            name: "IX_GroupRoomChecks_UserId",
            table: "GroupRoomChecks",
            column: "UserId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupRoomPosts_AuthorId",
            table: "GroupRoomPosts",
            column: "AuthorId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupRoomPosts_MeetingId_CreatedAt",
            table: "GroupRoomPosts",
            columns: new[] { "MeetingId", "CreatedAt" });

        migrationBuilder.CreateIndex(
            name: "IX_GroupRooms_GroupId",
            table: "GroupRooms",
            column: "GroupId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupRoomWitness_AuthorId",
            table: "GroupRoomWitness",
            column: "AuthorId");

        migrationBuilder.CreateIndex(
            name: "IX_GroupRoomWitness_PostId_AuthorId_Kind",
            table: "GroupRoomWitness",
            columns: new[] { "PostId", "AuthorId", "Kind" },
            unique: true);

        migrationBuilder.CreateIndex(
            name: "IX_Groups_FacilitatorId",
            table: "Groups",
            column: "FacilitatorId");

        migrationBuilder.CreateIndex(
            name: "IX_Groups_FollowsGroupId",
            table: "Groups",
            column: "FollowsGroupId");

        migrationBuilder.CreateIndex(
            name: "IX_Groups_InviteTokenHash",
            table: "Groups",
            column: "InviteTokenHash",
            unique: true);

        migrationBuilder.CreateIndex(
            name: "IX_Groups_Listed_HiddenByAdmin_ClosedAt",
            table: "Groups",
            columns: new[] { "Listed", "HiddenByAdmin", "ClosedAt" });

        migrationBuilder.AddForeignKey(
            name: "FK_Shares_Groups_GroupId",
            table: "Shares",
            column: "GroupId",
            principalTable: "Groups",
            principalColumn: "Id",
            onDelete: ReferentialAction.Cascade);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropForeignKey(
            name: "FK_Shares_Groups_GroupId",
            table: "Shares");

        migrationBuilder.DropTable(
            name: "GroupApplications");

        migrationBuilder.DropTable(
            name: "GroupAttendances");

        migrationBuilder.DropTable(
            name: "GroupBoardWitness");

        migrationBuilder.DropTable(
            name: "GroupMeasures");

        migrationBuilder.DropTable(
            name: "GroupMessages");

        migrationBuilder.DropTable(
            name: "GroupRoomChecks");

        migrationBuilder.DropTable(
            name: "GroupRooms");

        migrationBuilder.DropTable(
            name: "GroupRoomWitness");

        migrationBuilder.DropTable(
            name: "GroupBoardPosts");

        migrationBuilder.DropTable(
            name: "GroupMembers");

        migrationBuilder.DropTable(
            name: "GroupRoomPosts");

        migrationBuilder.DropTable(
            name: "GroupMeetings");

        migrationBuilder.DropTable(
            name: "Groups");

        migrationBuilder.DropIndex(
            name: "IX_Shares_GroupId_ItemType_ItemId",
            table: "Shares");

        migrationBuilder.DropColumn(
            name: "GroupId",
            table: "Shares");
    }
}
