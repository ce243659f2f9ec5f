using System.Text.Json;
using Attune.Data;
using Attune.Features.Privacy;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Assessments;

/// <summary>
/// One completed check-in. Only the item-by-item answers are kept, sealed under the person's key;
/// the total, band, subscales and the PHQ-9 item-9 (self-harm) flag are worked out from them after
/// opening (<see cref="CheckInQueries.ScoreAsync"/>), so a copy of the database without the master
/// key shows that a check-in was taken and when, never how it came out.
/// </summary>
public sealed class CheckIn
{
    public const string Table = "check_ins";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string Instrument { get; set; } = "";
    public DateTime TakenAt { get; set; }
    public Sealed Answers { get; set; } = null!;

    internal sealed class Config : IEntityTypeConfiguration<CheckIn>
    {
        public void Configure(EntityTypeBuilder<CheckIn> b)
        {
            b.ToTable("CheckIns");
            b.HasKey(c => c.Id);
            b.Property(c => c.Instrument).HasMaxLength(16);
            b.HasIndex(c => new { c.OwnerId, c.Instrument, c.TakenAt });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public static class CheckInQueries
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IQueryable<CheckIn> OwnedBy(this IQueryable<CheckIn> query, string ownerId) => query.Where(c => c.OwnerId == ownerId);

    public static async Task<IReadOnlyList<int>> OpenAnswersAsync(this AttuneDb db, CheckIn row, CancellationToken ct) =>
        JsonSerializer.Deserialize<List<int>>(await db.OpenAsync(row.OwnerId, CheckIn.Table, row.Id.ToString(), "answers", row.Answers, ct), Json) ?? [];

    /// <summary>The check-in's result, scored from its opened answers; null for an instrument Attune no longer has.</summary>
    public static async Task<Score?> ScoreAsync(this AttuneDb db, Instruments instruments, CheckIn row, CancellationToken ct)
    {
        if (instruments.Find(row.Instrument) is not { } instrument) return null;
        var answers = await db.OpenAnswersAsync(row, ct);
        return answers.Count == instrument.Items.Count ? Instruments.Score(instrument, answers) : null;
    }
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
        };
        row.Answers = await db.SealAsync(ownerId, CheckIn.Table, row.Id.ToString(), "answers", JsonSerializer.Serialize(answers, Json), ct);
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return ToDto(instrument, row, score, answers);
    }

    public async Task<CheckInDto?> FindAsync(string ownerId, Guid id, bool withAnswers, CancellationToken ct = default)
    {
        var row = await db.Set<CheckIn>().AsNoTracking().OwnedBy(ownerId).FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null || instruments.Find(row.Instrument) is not { } instrument) return null;
        var answers = await AnswersAsync(row, ct);
        return ToDto(instrument, row, Instruments.Score(instrument, answers), withAnswers ? answers : null);
    }

    public async Task<List<CheckInDto>> ListAsync(string ownerId, string? instrumentCode, CancellationToken ct = default)
    {
        var query = db.Set<CheckIn>().AsNoTracking().OwnedBy(ownerId);
        if (instrumentCode is not null) query = query.Where(c => c.Instrument == instrumentCode);
        var result = new List<CheckInDto>();
        foreach (var row in await query.OrderBy(c => c.TakenAt).ToListAsync(ct))
            if (instruments.Find(row.Instrument) is { } instrument && await db.ScoreAsync(instruments, row, ct) is { } score)
                result.Add(ToDto(instrument, row, score, null));
        return result;
    }

    public Task<IReadOnlyList<int>> AnswersAsync(CheckIn row, CancellationToken ct) => db.OpenAnswersAsync(row, ct);

    public static CheckInDto ToDto(Instrument instrument, CheckIn row, Score score, IReadOnlyList<int>? answers) =>
        new(row.Id, row.Instrument, new DateTimeOffset(row.TakenAt), score.Total, instrument.MaxTotal, score.Band, score.Meaning, score.Subscales, score.Safety, answers);
}

internal sealed class CheckInsSection(CheckIns checkIns, Instruments instruments) : IExportSection
{
    public string Name => "checkIns";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var rows = await db.Set<CheckIn>().AsNoTracking().OwnedBy(userId).OrderBy(c => c.TakenAt).ToListAsync(ct);
        var result = new List<object>();
        foreach (var r in rows)
        {
            var score = await db.ScoreAsync(instruments, r, ct);
            result.Add(new { r.Id, r.Instrument, TakenAt = new DateTimeOffset(r.TakenAt), score?.Total, score?.Band, Safety = score?.Safety ?? false, Answers = await checkIns.AnswersAsync(r, ct) });
        }
        return result;
    }
}
