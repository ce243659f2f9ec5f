using System.Globalization;
using System.Text;

namespace Attune.Infrastructure.Live;

/// <summary>
/// How far one person's stream has got, as the SSE <c>id</c> of every frame, so a client that
/// reconnects (with <c>Last-Event-ID</c>) can be sent exactly what it missed, on any node. Every
/// event is numbered by the node that published it (its origin): the cursor says, per origin,
/// "every event for this person up to <see cref="Mark.Through"/>, and the few in
/// <see cref="Mark.Also"/> above it", and when it was written. It reads
/// <c>1764669600000;a1b2c3d4e5f6:57+59,0f9e8d7c6b5a:12</c>: no person's id, no text.
/// </summary>
public sealed class LiveCursor
{
    /// <summary>Longer ids are refused (a cursor lists at most <see cref="MaxOrigins"/> nodes).</summary>
    public const int MaxLength = 2048;
    public const int MaxOrigins = 32;

    /// <summary>Numbers above a mark a cursor keeps; they are rare (events that overtook others on the way) and brief.</summary>
    public const int MaxAlso = 16;

    public sealed class Mark
    {
        public long Through { get; set; }
        public SortedSet<long> Also { get; } = [];

        public bool Has(long seq) => seq <= Through || Also.Contains(seq);
    }

    public Dictionary<string, Mark> Marks { get; } = new(StringComparer.Ordinal);

    /// <summary>When the cursor was written, by the writing node's clock.</summary>
    public DateTimeOffset At { get; set; }

    public bool Has(string origin, long seq) => Marks.TryGetValue(origin, out var m) && m.Has(seq);

    public long Through(string origin) => Marks.TryGetValue(origin, out var m) ? m.Through : 0;

    public void Add(string origin, long seq)
    {
        var m = MarkOf(origin);
        if (m.Has(seq)) return;
        m.Also.Add(seq);
        Collapse(m);
    }

    private static void Collapse(Mark m)
    {
        while (m.Also.Count > 0 && m.Also.Min == m.Through + 1)
        {
            m.Through++;
            m.Also.Remove(m.Through);
        }
    }

    /// <summary>Everything from <paramref name="origin"/> up to <paramref name="through"/> has been seen.</summary>
    public void Raise(string origin, long through)
    {
        var m = MarkOf(origin);
        if (through > m.Through)
        {
            m.Through = through;
            m.Also.RemoveWhere(s => s <= through);
        }
        Collapse(m);
    }

    private Mark MarkOf(string origin)
    {
        if (!Marks.TryGetValue(origin, out var m)) Marks[origin] = m = new Mark();
        return m;
    }

    public LiveCursor Copy()
    {
        var c = new LiveCursor { At = At };
        foreach (var (origin, m) in Marks)
        {
            var copy = c.MarkOf(origin);
            copy.Through = m.Through;
            copy.Also.UnionWith(m.Also);
        }
        return c;
    }

    /// <summary>
    /// The id line's value. Beyond <see cref="MaxAlso"/> numbers above a mark only the lowest are
    /// kept: a reconnect may then be sent one of the others again, never fewer.
    /// </summary>
    public string Format()
    {
        var sb = new StringBuilder();
        sb.Append(At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append(';');
        var first = true;
        foreach (var (origin, m) in Marks.OrderBy(p => p.Key, StringComparer.Ordinal).Take(MaxOrigins))
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append(origin).Append(':').Append(m.Through.ToString(CultureInfo.InvariantCulture));
            foreach (var s in m.Also.Take(MaxAlso)) sb.Append('+').Append(s.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Reads what <see cref="Format"/> wrote; anything else (or too long) is refused.</summary>
    public static bool TryParse(string? text, out LiveCursor cursor)
    {
        cursor = new LiveCursor();
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength) return false;
        var semi = text.IndexOf(';', StringComparison.Ordinal);
        if (semi <= 0 || !long.TryParse(text.AsSpan(0, semi), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()) return false;
        cursor.At = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        var rest = text[(semi + 1)..];
        if (rest.Length == 0) return true;
        var marks = rest.Split(',');
        if (marks.Length > MaxOrigins) return false;
        foreach (var part in marks)
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsOrigin(part[..colon])) return false;
            var numbers = part[(colon + 1)..].Split('+');
            if (numbers.Length > MaxAlso + 1 || cursor.Marks.ContainsKey(part[..colon])) return false;
            var m = cursor.MarkOf(part[..colon]);
            for (var i = 0; i < numbers.Length; i++)
            {
                if (!long.TryParse(numbers[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
                if (i == 0) m.Through = n;
                else if (n > m.Through) m.Also.Add(n);
                else return false;
            }
        }
        return true;
    }

    /// <summary>A node's name: 1 to 32 lower-case letters and digits.</summary>
    public static bool IsOrigin(string name) => name.Length is > 0 and <= 32 && name.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c));
}
