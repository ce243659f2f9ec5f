using System.Runtime.CompilerServices;

namespace Attune.Data;

/// <summary>
/// SQLite allows one writer. Queuing writers here, in the app, costs microseconds; letting them
/// collide in SQLite's busy-retry sleeps costs up to a second at p99. On PostgreSQL the gate is open.
/// Re-entrant within one async flow, so a transaction that holds it can still call SaveChanges.
/// </summary>
public sealed class WriteGate(bool enabled) : IDisposable
{
    private readonly SemaphoreSlim _slot = new(1, 1);
    // A box, not a bool: a value an async method gives an AsyncLocal is undone when it returns, so the
    // flag is set in the caller's own flow (EnterAsync is not async itself) and the box says whether it still holds.
    private readonly AsyncLocal<StrongBox<bool>?> _held = new();

    private bool Held => _held.Value is { Value: true };

    public Task<IDisposable> EnterAsync(CancellationToken ct = default)
    {
        if (!enabled || Held) return Task.FromResult<IDisposable>(Nothing.Instance);
        var held = new StrongBox<bool>(true);
        _held.Value = held;
        return AcquireAsync(held, ct);
    }

    private async Task<IDisposable> AcquireAsync(StrongBox<bool> held, CancellationToken ct)
    {
        try
        {
            await _slot.WaitAsync(ct);
        }
        catch
        {
            held.Value = false;
            throw;
        }
        return new Release(this, held);
    }

    /// <summary>The same, for a synchronous save (the group commit's own thread).</summary>
    public IDisposable Enter()
    {
        if (!enabled || Held) return Nothing.Instance;
        _slot.Wait();
        var held = new StrongBox<bool>(true);
        _held.Value = held;
        return new Release(this, held);
    }

    public void Dispose() => _slot.Dispose();

    private sealed class Release(WriteGate gate, StrongBox<bool> held) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1) return;
            held.Value = false;
            gate._slot.Release();
        }
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();
        public void Dispose() { }
    }
}
