using Attune.Data;
using Attune.Features.Journey;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Bench;

/// <summary>
/// The page benchmark's ceiling: a signed-in page with the same cookie, session check and layout as
/// every other, that reads the person's 20 newest practice sessions and lists them. It exists only
/// when <c>Attune:Bench=true</c> (see <see cref="Infrastructure.Bench.BenchSupport"/>).
/// </summary>
public sealed class BareModel(AttuneDb db) : SignedInPageModel
{
    public sealed record Row(string PracticeSlug, DateTime StartedAt, int SudsBefore);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Rows = await db.Set<PracticeSession>().AsNoTracking().Where(s => s.OwnerId == UserId).OrderByDescending(s => s.StartedAt).Take(20)
            .Select(s => new Row(s.PracticeSlug, s.StartedAt, s.SudsBefore)).ToListAsync(ct);
}
