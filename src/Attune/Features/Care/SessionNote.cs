using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Care;

/// <summary>
/// A therapist's private session note about one person, sealed under the therapist's own key: no
/// one else, the person included, can read it. Notes are the therapist's record, so they stay when
/// the relationship ends (the therapist can still read and export them); they are deleted with the
/// therapist's account, and also with the person's, since the person asked for everything about
/// them to go.
/// </summary>
public sealed class SessionNote
{
    public const string Table = "session_notes";

    public Guid Id { get; set; }
    public string TherapistId { get; set; } = "";
    public string PersonId { get; set; } = "";
    /// <summary>The day of the session the note is about (the therapist's calendar day).</summary>
    public DateOnly SessionDate { get; set; }
    public Sealed Text { get; set; } = null!;
    /// <summary>The person's name when the note was written, so a note still reads well after the relationship ends.</summary>
    public Sealed PersonName { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<SessionNote>
    {
        public void Configure(EntityTypeBuilder<SessionNote> b)
        {
            b.ToTable("SessionNotes");
            b.HasKey(n => n.Id);
            b.HasIndex(n => new { n.TherapistId, n.PersonId, n.SessionDate });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(n => n.TherapistId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(n => n.PersonId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
