using Attune.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Attune.Data.Migrations;

/// <summary>
/// Accounts (ASP.NET Core Identity), per-person data keys, the Data Protection key ring and the
/// security audit log. Written by hand: column types come from each provider's mapping of the CLR
/// type, so one migration serves SQLite and PostgreSQL. SchemaTests proves it matches the model.
/// </summary>
[DbContext(typeof(AttuneDb))]
[Migration("20261122090000_Foundation")]
public sealed class Foundation : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var m = migrationBuilder;
        m.CreateTable("AspNetRoles", t => new
        {
            Id = t.Column<string>(nullable: false),
            Name = t.Column<string>(maxLength: 256, nullable: true),
            NormalizedName = t.Column<string>(maxLength: 256, nullable: true),
            ConcurrencyStamp = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_AspNetRoles", x => x.Id));

        m.CreateTable("AspNetUsers", t => new
        {
            Id = t.Column<string>(nullable: false),
            DisplayNameSealed = t.Column<byte[]>(nullable: true),
            TimeZone = t.Column<string>(maxLength: 64, nullable: false),
            Country = t.Column<string>(maxLength: 2, nullable: true),
            CreatedAt = t.Column<DateTime>(nullable: false),
            UserName = t.Column<string>(maxLength: 256, nullable: true),
            NormalizedUserName = t.Column<string>(maxLength: 256, nullable: true),
            Email = t.Column<string>(maxLength: 256, nullable: true),
            NormalizedEmail = t.Column<string>(maxLength: 256, nullable: true),
            EmailConfirmed = t.Column<bool>(nullable: false),
            PasswordHash = t.Column<string>(nullable: true),
            SecurityStamp = t.Column<string>(nullable: true),
            ConcurrencyStamp = t.Column<string>(nullable: true),
            PhoneNumber = t.Column<string>(nullable: true),
            PhoneNumberConfirmed = t.Column<bool>(nullable: false),
            TwoFactorEnabled = t.Column<bool>(nullable: false),
            LockoutEnd = t.Column<DateTimeOffset>(nullable: true),
            LockoutEnabled = t.Column<bool>(nullable: false),
            AccessFailedCount = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_AspNetUsers", x => x.Id));

        m.CreateTable("AuditEvents", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            At = t.Column<DateTime>(nullable: false),
            ActorId = t.Column<string>(maxLength: 64, nullable: true),
            Action = t.Column<string>(maxLength: 64, nullable: false),
            ObjectType = t.Column<string>(maxLength: 32, nullable: true),
            ObjectId = t.Column<string>(maxLength: 64, nullable: true),
            Outcome = t.Column<string>(maxLength: 16, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_AuditEvents", x => x.Id));

        m.CreateTable("DataProtectionKeys", t => new
        {
            FriendlyName = t.Column<string>(maxLength: 100, nullable: false),
            Xml = t.Column<byte[]>(nullable: false),
            MasterKeyVersion = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_DataProtectionKeys", x => x.FriendlyName));

        m.CreateTable("AspNetRoleClaims", t => new
        {
            Id = t.Column<int>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            RoleId = t.Column<string>(nullable: false),
            ClaimType = t.Column<string>(nullable: true),
            ClaimValue = t.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
            t.ForeignKey("FK_AspNetRoleClaims_AspNetRoles_RoleId", x => x.RoleId, "AspNetRoles", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserClaims", t => new
        {
            Id = t.Column<int>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            UserId = t.Column<string>(nullable: false),
            ClaimType = t.Column<string>(nullable: true),
            ClaimValue = t.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
            t.ForeignKey("FK_AspNetUserClaims_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserLogins", t => new
        {
            LoginProvider = t.Column<string>(nullable: false),
            ProviderKey = t.Column<string>(nullable: false),
            ProviderDisplayName = t.Column<string>(nullable: true),
            UserId = t.Column<string>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
            t.ForeignKey("FK_AspNetUserLogins_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserRoles", t => new
        {
            UserId = t.Column<string>(nullable: false),
            RoleId = t.Column<string>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
            t.ForeignKey("FK_AspNetUserRoles_AspNetRoles_RoleId", x => x.RoleId, "AspNetRoles", "Id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("FK_AspNetUserRoles_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("AspNetUserTokens", t => new
        {
            UserId = t.Column<string>(nullable: false),
            LoginProvider = t.Column<string>(nullable: false),
            Name = t.Column<string>(nullable: false),
            Value = t.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
            t.ForeignKey("FK_AspNetUserTokens_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("PersonKeys", t => new
        {
            UserId = t.Column<string>(nullable: false),
            WrappedKey = t.Column<byte[]>(nullable: false),
            MasterKeyVersion = t.Column<int>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_PersonKeys", x => x.UserId);
            t.ForeignKey("FK_PersonKeys_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
        });

        m.CreateIndex("IX_AspNetRoleClaims_RoleId", "AspNetRoleClaims", "RoleId");
        m.CreateIndex("RoleNameIndex", "AspNetRoles", "NormalizedName", unique: true);
        m.CreateIndex("IX_AspNetUserClaims_UserId", "AspNetUserClaims", "UserId");
        m.CreateIndex("IX_AspNetUserLogins_UserId", "AspNetUserLogins", "UserId");
        m.CreateIndex("IX_AspNetUserRoles_RoleId", "AspNetUserRoles", "RoleId");
        m.CreateIndex("EmailIndex", "AspNetUsers", "NormalizedEmail");
        m.CreateIndex("UserNameIndex", "AspNetUsers", "NormalizedUserName", unique: true);
        m.CreateIndex("IX_AuditEvents_ActorId_At", "AuditEvents", ["ActorId", "At"]);
        m.CreateIndex("IX_AuditEvents_ObjectId", "AuditEvents", "ObjectId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "PersonKeys", "AspNetUserTokens", "AspNetUserRoles", "AspNetUserLogins", "AspNetUserClaims", "AspNetRoleClaims", "DataProtectionKeys", "AuditEvents", "AspNetUsers", "AspNetRoles" })
            migrationBuilder.DropTable(table);
    }
}
