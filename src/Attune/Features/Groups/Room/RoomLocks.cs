namespace Attune.Features.Groups.Room;

/// <summary>
/// One lock per room on this node, held from before a room event's write until its frames are
/// delivered here, so this node's streams see a room's versions in the order they were written.
/// (Across nodes the concurrency token on the version and the notifications sent inside the
/// transaction keep the order.) Rooms share a fixed set of stripes: two rooms on one stripe only
/// wait for each other, and nothing ever holds two stripes, so they cannot deadlock. Always taken
/// before the write gate, never while holding it.
/// </summary>
public sealed class RoomLocks
{
    private const int Stripes = 1024; // many more than the rooms open at once on a node, so two rooms seldom wait for each other
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<IDisposable> EnterAsync(Guid meetingId, CancellationToken ct)
    {
        var stripe = _stripes[(int)((uint)meetingId.GetHashCode() % Stripes)];
        await stripe.WaitAsync(ct);
        return new Held(stripe);
    }

    private sealed class Held(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) stripe.Release();
        }
    }
}
