using System.Globalization;
using System.Text.Json;

namespace Attune.Infrastructure.Live;

/// <summary>
/// Extra fields an event's data may carry beside its <c>id</c>: ids and numbers only, under plain
/// names, so no text a person wrote can ever ride on a live event (a push through a proxy or a
/// relay between nodes sees nothing personal). Frames read
/// <c>{"id":"…","groupId":"…","meetingId":"…","version":12}</c>.
/// </summary>
public readonly struct LiveExtra : IEquatable<LiveExtra>
{
    private readonly string? _fields;

    private LiveExtra(string fields) => _fields = fields;

    public static LiveExtra None => default;

    public bool IsEmpty => string.IsNullOrEmpty(_fields);

    public static LiveExtra Of(string name, Guid value) => None.And(name, value);

    public static LiveExtra Of(string name, long value) => None.And(name, value);

    public LiveExtra And(string name, Guid value) => Append(name, "\"" + value.ToString("D") + "\"");

    public LiveExtra And(string name, long value) => Append(name, value.ToString(CultureInfo.InvariantCulture));

    private LiveExtra Append(string name, string json)
    {
        if (!IsName(name) || name == "id") throw new ArgumentException("A live event's extra field needs a plain name of letters, other than id.", nameof(name));
        return new LiveExtra((IsEmpty ? "" : _fields + ",") + "\"" + name + "\":" + json);
    }

    /// <summary>The fields as a JSON fragment (no braces), as the relay carries them.</summary>
    public override string ToString() => _fields ?? "";

    /// <summary>The event's data: <c>{"id":"…"}</c> and then the extra fields.</summary>
    public string DataJson(Guid id) => "{\"id\":\"" + id.ToString("D") + "\"" + (IsEmpty ? "" : "," + _fields) + "}";

    /// <summary>
    /// Reads what <see cref="ToString"/> wrote (from the relay), building it again from its parts,
    /// so a payload that holds anything but plain names with ids and whole numbers is refused.
    /// </summary>
    public static bool TryParse(string? fragment, out LiveExtra extra)
    {
        extra = None;
        if (string.IsNullOrEmpty(fragment)) return true;
        try
        {
            using var doc = JsonDocument.Parse("{" + fragment + "}");
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!IsName(p.Name) || p.Name == "id") return false;
                if (p.Value.ValueKind == JsonValueKind.String && Guid.TryParseExact(p.Value.GetString(), "D", out var g)) extra = extra.And(p.Name, g);
                else if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n)) extra = extra.And(p.Name, n);
                else return false;
            }
            return true;
        }
        catch (JsonException)
        {
            extra = None;
            return false;
        }
    }

    private static bool IsName(string name) => name.Length is > 0 and <= 32 && name.All(char.IsAsciiLetter);

    public bool Equals(LiveExtra other) => ToString() == other.ToString();

    public override bool Equals(object? obj) => obj is LiveExtra other && Equals(other);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public static bool operator ==(LiveExtra left, LiveExtra right) => left.Equals(right);

    public static bool operator !=(LiveExtra left, LiveExtra right) => !left.Equals(right);
}
