using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>
/// Background work kept in the database (reach escalation): due at a time from TimeProvider,
/// claimed by one node with a conditional update, retried with a back-off if it fails, and still
/// there after a restart.
/// </summary>
public sealed class Job
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = "";
    public Guid Subject { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public int Attempts { get; set; }
    public DateTime? DoneAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<Job>
    {
        public void Configure(EntityTypeBuilder<Job> b)
        {
            b.ToTable("Jobs");
            b.HasKey(j => j.Id);
            b.Property(j => j.Kind).HasMaxLength(32);
            b.HasIndex(j => new { j.DoneAt, j.DueAt });
        }
    }
}
