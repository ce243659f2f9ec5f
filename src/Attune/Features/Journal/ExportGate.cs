using System.Collections.Concurrent;

namespace Attune.Features.Journal;

/// <summary>
/// One journal export at a time per person (on this node). An export opens and decodes every
/// entry and image, so repeated or parallel requests by one account could take the server's
/// memory and cores from everyone else; a second request while one runs answers 429 at once
/// rather than queueing behind it.
/// </summary>
public sealed class ExportGate
{
    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);

    /// <summary>The person's place, to dispose when the export is done; null when one of theirs is already running.</summary>
    public IDisposable? TryStart(string userId) => _running.TryAdd(userId, 0) ? new Place(this, userId) : null;

    public const string BusyTitle = "Your journal export is already being made.";
    public const string BusyDetail = "Please wait for it to finish, then try again if you need another copy.";

    private sealed class Place(ExportGate gate, string userId) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate._running.TryRemove(userId, out _);
        }
    }
}
