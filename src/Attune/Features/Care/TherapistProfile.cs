using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Care;

/// <summary>
/// A therapist's profile. Everything on it is written to be public once published, so it is kept
/// in plain text where the directory can search it; the form says so. The licence is
/// self-declared; only an administrator sets <see cref="Verified"/>. An administrator can also
/// hide a profile from the directory (<see cref="HiddenByAdmin"/>).
/// </summary>
public sealed class TherapistProfile
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Credentials { get; set; } = "";
    public string LicenceNumber { get; set; } = "";
    public string LicenceRegion { get; set; } = "";
    public bool Verified { get; set; }
    /// <summary>Codes from <see cref="CareLists.Modalities"/>, each wrapped in commas (",ifs,emdr,") so one can be matched exactly.</summary>
    public string Modalities { get; set; } = ",";
    public bool Online { get; set; }
    public bool InPerson { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string Country { get; set; } = "";
    /// <summary>Language names in lower case, wrapped in commas (",english,polish,").</summary>
    public string Languages { get; set; } = ",";
    public int? FeeMin { get; set; }
    public int? FeeMax { get; set; }
    public string? Currency { get; set; }
    public bool SlidingScale { get; set; }
    public bool Accepting { get; set; }
    public string Bio { get; set; } = "";
    public bool Published { get; set; }
    public bool HiddenByAdmin { get; set; }
    public byte[]? Photo { get; set; }
    public string? PhotoType { get; set; }
    /// <summary>Lower-case text the directory's free-text search looks in.</summary>
    public string Search { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<TherapistProfile>
    {
        public void Configure(EntityTypeBuilder<TherapistProfile> b)
        {
            b.ToTable("TherapistProfiles");
            b.HasKey(p => p.Id);
            b.HasIndex(p => p.UserId).IsUnique();
            b.HasIndex(p => new { p.Published, p.HiddenByAdmin, p.Country });
            b.Property(p => p.Name).HasMaxLength(TherapistDirectory.MaxName);
            b.Property(p => p.Credentials).HasMaxLength(TherapistDirectory.MaxCredentials);
            b.Property(p => p.LicenceNumber).HasMaxLength(64);
            b.Property(p => p.LicenceRegion).HasMaxLength(100);
            b.Property(p => p.Modalities).HasMaxLength(300);
            b.Property(p => p.City).HasMaxLength(100);
            b.Property(p => p.Region).HasMaxLength(100);
            b.Property(p => p.Country).HasMaxLength(2);
            b.Property(p => p.Languages).HasMaxLength(500);
            b.Property(p => p.Currency).HasMaxLength(3);
            b.Property(p => p.Bio).HasMaxLength(TherapistDirectory.MaxBio);
            b.Property(p => p.PhotoType).HasMaxLength(16);
            b.Property(p => p.Search).HasMaxLength(4000);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
