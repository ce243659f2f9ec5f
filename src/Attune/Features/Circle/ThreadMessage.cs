using Attune.Infrastructure.Conversations;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>One message of a circle conversation.</summary>
public sealed class ThreadMessage : ISealedMessage
{
    public const string Table = "thread_messages";

    public Guid Id { get; set; }
    public Guid ThreadId { get; set; }
    public string AuthorId { get; set; } = "";
    /// <summary>Sealed under the relationship's pair key.</summary>
    public Sealed Body { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<ThreadMessage>
    {
        public void Configure(EntityTypeBuilder<ThreadMessage> b)
        {
            b.ToTable("ThreadMessages");
            b.HasKey(m => m.Id);
            b.Property(m => m.AuthorId).HasMaxLength(64);
            b.HasIndex(m => new { m.ThreadId, m.CreatedAt });
            b.HasOne<CircleThread>().WithMany().HasForeignKey(m => m.ThreadId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
