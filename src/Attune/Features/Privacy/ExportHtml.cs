using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Attune.Features.Privacy;

/// <summary>
/// The readable export: the same document as the JSON export, as a plain HTML page that opens in
/// any browser without a network (no scripts, no external files). Sections become headings, lists
/// become numbered items, fields become label/value pairs.
/// </summary>
public static class ExportHtml
{
    public static string Render(JsonElement document)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<title>Your Attune data</title></head><body><main><h1>Your Attune data</h1>");
        sb.Append("<p>Everything your account held when you downloaded this. Keep it somewhere private.</p>");
        foreach (var section in document.EnumerateObject())
        {
            if (section.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                sb.Append("<section><h2>").Append(Encode(Label(section.Name))).Append("</h2>");
                Value(sb, section.Value, 3);
                sb.Append("</section>");
            }
            else
            {
                sb.Append("<p><strong>").Append(Encode(Label(section.Name))).Append(":</strong> ");
                Value(sb, section.Value, 3);
                sb.Append("</p>");
            }
        }
        sb.Append("</main></body></html>");
        return sb.ToString();
    }

    private static void Value(StringBuilder sb, JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append("<dl>");
                foreach (var p in value.EnumerateObject())
                {
                    sb.Append("<dt>").Append(Encode(Label(p.Name))).Append("</dt><dd>");
                    Value(sb, p.Value, depth + 1);
                    sb.Append("</dd>");
                }
                sb.Append("</dl>");
                break;
            case JsonValueKind.Array:
                if (value.GetArrayLength() == 0) { sb.Append("<p>Nothing here.</p>"); break; }
                sb.Append("<ol>");
                foreach (var item in value.EnumerateArray())
                {
                    sb.Append("<li>");
                    Value(sb, item, depth + 1);
                    sb.Append("</li>");
                }
                sb.Append("</ol>");
                break;
            case JsonValueKind.String:
                sb.Append(Encode(value.GetString() ?? "").Replace("\n", "<br>", StringComparison.Ordinal));
                break;
            case JsonValueKind.True: sb.Append("yes"); break;
            case JsonValueKind.False: sb.Append("no"); break;
            case JsonValueKind.Null: sb.Append("(none)"); break;
            default: sb.Append(Encode(value.GetRawText())); break;
        }
    }

    /// <summary>"securityEvents" → "Security events".</summary>
    internal static string Label(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && sb.Length > 0) sb.Append(' ').Append(char.ToLower(c, CultureInfo.InvariantCulture));
            else sb.Append(sb.Length == 0 ? char.ToUpper(c, CultureInfo.InvariantCulture) : c);
        }
        return sb.ToString();
    }

    private static string Encode(string s) => HtmlEncoder.Default.Encode(s);
}
