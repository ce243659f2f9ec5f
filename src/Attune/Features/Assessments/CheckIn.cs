using System.Text.Json;
using Attune.Data;
using Attune.Features.Account;
using Attune.Features.Privacy;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Assessments;

/// <summary>
/// One completed check-in. The item-by-item answers are sealed; the scores (numbers and codes,
/// needed for charts and trends) are plain.
/// </summary>
public sealed class CheckIn
{
    public const string Table = "check_ins";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string Instrument { get; set; } = "";
    public DateTime TakenAt { get; set; }
    public int Total { get; set; }
    public string? Band { get; set; }
    /// <summary>JSON object of pattern code → score (numbers only).</summary>
    public string Subscales { get; set; } = "{}";
    public bool Safety { get; set; }
    public Sealed Answers { get; set; } = null!;

    internal sealed class Config : IEntityTypeConfiguration<CheckIn>
    {
        public void Configure(EntityTypeBuilder<CheckIn> b)
        {
            b.ToTable("CheckIns");
            b.HasKey(c => c.Id);
            b.Property(c => c.Instrument).HasMaxLength(16);
            b.Property(c => c.Band).HasMaxLength(32);
            b.Property(c => c.Subscales).HasMaxLength(1000);
            b.HasIndex(c => new { c.OwnerId, c.Instrument, c.TakenAt });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public sealed record CheckInDto(Guid Id, string Instrument, DateTimeOffset TakenAt, int Total, int MaxTotal, string? Band, string? Meaning,
    IReadOnlyDictionary<string, int> Subscales, bool Safety, IReadOnlyList<int>? Answers);

public static class CheckInQueries
{
    public static IQueryable<CheckIn> OwnedBy(this IQueryable<CheckIn> query, string ownerId) => query.Where(c => c.OwnerId == ownerId);
}

public sealed class CheckIns(AttuneDb db, Instruments instruments, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<CheckInDto> SaveAsync(string ownerId, Instrument instrument, IReadOnlyList<int> answers, CancellationToken ct = default)
    {
        var score = Instruments.Score(instrument, answers);
        var row = new CheckIn
        {
            Id = Infrastructure.SequentialGuid.Next(),
            OwnerId = ownerId,
            Instrument = instrument.Code,
            TakenAt = clock.GetUtcNow().UtcDateTime,
            Total = score.Total,
            Band = score.Band,
            Safety = score.Safety,
            Subscales = JsonSerializer.Serialize(score.Subscales, Json),
        };
        row.Answers = await db.SealAsync(ownerId, CheckIn.Table, row.Id.ToString(), "answers", JsonSerializer.Serialize(answers, Json), ct);
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return ToDto(instrument, row, answers);
    }

    public async Task<CheckInDto?> FindAsync(string ownerId, Guid id, bool withAnswers, CancellationToken ct = default)
    {
        var row = await db.Set<CheckIn>().AsNoTracking().OwnedBy(ownerId).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null || instruments.Find(row.Instrument) is not { } instrument) return null;
        return ToDto(instrument, row, withAnswers ? await AnswersAsync(row, ct) : null);
    }

    public async Task<List<CheckInDto>> ListAsync(string ownerId, string? instrumentCode, CancellationToken ct = default)
    {
        var query = db.Set<CheckIn>().AsNoTracking().OwnedBy(ownerId);
        if (instrumentCode is not null) query = query.Where(c => c.Instrument == instrumentCode);
        var rows = await query.OrderBy(c => c.TakenAt).ToListAsync(ct);
        return rows.Where(r => instruments.Find(r.Instrument) is not null).Select(r => ToDto(instruments.Find(r.Instrument)!, r, null)).ToList();
    }

    public async Task<IReadOnlyList<int>> AnswersAsync(CheckIn row, CancellationToken ct) =>
        JsonSerializer.Deserialize<List<int>>(await db.OpenAsync(row.OwnerId, CheckIn.Table, row.Id.ToString(), "answers", row.Answers, ct), Json) ?? [];

    public static CheckInDto ToDto(Instrument instrument, CheckIn row, IReadOnlyList<int>? answers) =>
        new(row.Id, row.Instrument, new DateTimeOffset(row.TakenAt), row.Total, instrument.MaxTotal, row.Band,
            instrument.Bands?.FirstOrDefault(b => b.Label == row.Band)?.Meaning,
            JsonSerializer.Deserialize<Dictionary<string, int>>(row.Subscales, Json) ?? [], row.Safety, answers);
}

internal sealed class CheckInsSection(CheckIns checkIns) : IExportSection
{
    public string Name => "checkIns";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var rows = await db.Set<CheckIn>().AsNoTracking().OwnedBy(userId).OrderBy(c => c.TakenAt).ToListAsync(ct);
        var result = new List<object>();
        foreach (var r in rows)
            result.Add(new { r.Id, r.Instrument, TakenAt = new DateTimeOffset(r.TakenAt), r.Total, r.Band, r.Safety, Answers = await checkIns.AnswersAsync(r, ct) });
        return result;
    }
}
