using System.Diagnostics.Metrics;
using Attune.Infrastructure.Observability;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>
/// How many group rooms are open, for the operator (<c>attune.groups.rooms.open</c>): rooms opened
/// and not yet closed, paused ones included, as the room rows in the database say, so every node
/// reports the same figure. Not this node's <see cref="RoomCache"/>: that holds only the rooms this
/// node has handled, is emptied when it grows large, and keeps a room open that another node closed.
/// A hosted service only so that the gauge exists from the start; it runs nothing.
/// </summary>
internal sealed class RoomGauges : IHostedService
{
    public const string OpenRooms = "attune.groups.rooms.open";

    private readonly DatabaseReading<long> _open;

    public RoomGauges(IServiceScopeFactory scopes, TimeProvider clock, AttuneMeters meters)
    {
        _open = new(scopes, clock, (db, _) => db.Set<GroupRoom>().AsNoTracking().LongCount(r => r.OpenedAt != null && r.ClosedAt == null));
        meters.Gauge<long>(OpenRooms, "{room}", "Group meeting rooms opened and not yet closed (paused ones too), counted in the database: the same figure on every node",
            () => _open.Value() is { } n ? [new Measurement<long>(n)] : []);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
