namespace Attune.Infrastructure;

/// <summary>
/// Version 7 (time-ordered) ids that are also strictly increasing within this process. Two ids made
/// in the same millisecond by <see cref="Guid.CreateVersion7()"/> order at random; lists that page by
/// id (the access log, the security log) need "newer" to mean "greater".
/// </summary>
public static class SequentialGuid
{
    private static readonly Lock Gate = new();
    private static Guid _last;

    public static Guid Next()
    {
        var id = Guid.CreateVersion7();
        lock (Gate)
        {
            if (id.CompareTo(_last) <= 0) id = After(_last);
            _last = id;
        }
        return id;
    }

    /// <summary>The next id after <paramref name="id"/>: its random tail (the last six bytes) plus one.</summary>
    private static Guid After(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        for (var i = 15; i >= 10; i--)
            if (++bytes[i] != 0) break;
        return new Guid(bytes, bigEndian: true);
    }
}
