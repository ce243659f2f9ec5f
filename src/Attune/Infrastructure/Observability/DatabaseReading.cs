using Attune.Data;

namespace Attune.Infrastructure.Observability;

/// <summary>
/// A figure an observable gauge reads from the database when metrics are collected (a scrape or an
/// export), at most once a second however many instruments or readers ask. When the database is
/// away for a moment the collection goes without it (null) rather than failing.
/// </summary>
public sealed class DatabaseReading<T>(IServiceScopeFactory scopes, TimeProvider clock, Func<AttuneDb, DateTime, T> read) where T : struct
{
    private readonly Lock _lock = new();
    private T? _last;
    private long _readAt = long.MinValue;

    public T? Value()
    {
        lock (_lock)
        {
            var ticks = clock.GetTimestamp();
            if (_last is not null && clock.GetElapsedTime(_readAt, ticks) < TimeSpan.FromSeconds(1)) return _last;
            try
            {
                using var scope = scopes.CreateScope();
                _last = read(scope.ServiceProvider.GetRequiredService<AttuneDb>(), clock.GetUtcNow().UtcDateTime);
            }
#pragma warning disable CA1031 // The database may be away for a moment: this collection goes without the figure.
            catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                _last = null;
            }
            _readAt = ticks;
            return _last;
        }
    }
}
