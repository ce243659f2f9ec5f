using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Journal;

/// <summary>
/// One journal entry of any kind. Everything the person wrote (title, text, tags and the kind's
/// own fields) is one sealed JSON document; a drawing or a letter's photo is sealed bytes.
/// Plain: the kind, dates, draft and parked flags, the mood numbers and links, for filters.
/// </summary>
public sealed class JournalEntry
{
    public const string Table = "journal_entries";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string Kind { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Bumped on every save; the search index compares it to know what changed.</summary>
    public int Version { get; set; }
    public bool Draft { get; set; }
    public bool Parked { get; set; }
    public int? Valence { get; set; }
    public int? Energy { get; set; }
    public string? PromptId { get; set; }
    public Guid? PracticeSessionId { get; set; }
    public Guid? ActivationId { get; set; }
    public Sealed Content { get; set; } = null!;
    /// <summary>The entry's words and tags, normalised for search, sealed like the content.</summary>
    public Sealed SearchText { get; set; } = null!;
    public Sealed? Image { get; set; }
    public string? ImageType { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<JournalEntry>
    {
        public void Configure(EntityTypeBuilder<JournalEntry> b)
        {
            b.ToTable("JournalEntries");
            b.HasKey(e => e.Id);
            b.Property(e => e.Kind).HasMaxLength(16);
            b.Property(e => e.PromptId).HasMaxLength(64);
            b.Property(e => e.ImageType).HasMaxLength(16);
            b.HasIndex(e => new { e.OwnerId, e.CreatedAt });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(e => e.OwnerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public static class JournalQueries
{
    public static IQueryable<JournalEntry> OwnedBy(this IQueryable<JournalEntry> q, string ownerId) => q.Where(e => e.OwnerId == ownerId);
}
