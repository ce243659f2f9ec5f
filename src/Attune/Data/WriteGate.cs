namespace Attune.Data;

/// <summary>
/// SQLite allows one writer. Queuing writers here, in the app, costs microseconds; letting them
/// collide in SQLite's busy-retry sleeps costs up to a second at p99. On PostgreSQL the gate is open.
/// Re-entrant within one async flow, so a transaction that holds it can still call SaveChanges.
/// </summary>
public sealed class WriteGate(bool enabled) : IDisposable
{
    private readonly SemaphoreSlim _slot = new(1, 1);
    private readonly AsyncLocal<bool> _held = new();

    public async Task<IDisposable> EnterAsync(CancellationToken ct = default)
    {
        if (!enabled || _held.Value) return Nothing.Instance;
        await _slot.WaitAsync(ct);
        _held.Value = true;
        return new Release(this);
    }

    /// <summary>The same, for a synchronous save (the group commit's own thread).</summary>
    public IDisposable Enter()
    {
        if (!enabled || _held.Value) return Nothing.Instance;
        _slot.Wait();
        _held.Value = true;
        return new Release(this);
    }

    public void Dispose() => _slot.Dispose();

    private sealed class Release(WriteGate gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1) return;
            gate._held.Value = false;
            gate._slot.Release();
        }
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();
        public void Dispose() { }
    }
}
