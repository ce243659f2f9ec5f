using System.Text;
using System.Text.RegularExpressions;

namespace Attune.Tests.Support;

/// <summary>Reads the .eml files the app writes to its pickup folder when no SMTP server is set.</summary>
public static partial class Mail
{
    public sealed record Message(string To, string Subject, string Body);

    public static List<Message> All(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        return Directory.GetFiles(directory, "*.eml").OrderBy(File.GetLastWriteTimeUtc).Select(Parse).ToList();
    }

    public static Message Latest(string directory, string to, string subjectContains)
    {
        for (var i = 0; i < 50; i++)
        {
            var match = All(directory).LastOrDefault(m => m.To.Equals(to, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(subjectContains, StringComparison.Ordinal));
            if (match is not null) return match;
            Thread.Sleep(100);
        }
        throw new Xunit.Sdk.XunitException($"No email to {to} with '{subjectContains}' in {directory}");
    }

    public static string LinkIn(Message message) => LinkPattern().Match(message.Body) is { Success: true } m
        ? m.Value
        : throw new Xunit.Sdk.XunitException("No link in: " + message.Body);

    private static Message Parse(string path)
    {
        var text = File.ReadAllText(path);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = text[..split];
        var raw = text[(split + 4)..];
        string Header(string name) => Regex.Match(headers, $"^{name}: (.*)$", RegexOptions.Multiline).Groups[1].Value.Trim();
        var body = Header("Content-Transfer-Encoding").Equals("base64", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(Regex.Replace(raw, @"\s", "")))
            : raw;
        var subject = Header("Subject");
        if (subject.StartsWith("=?utf-8?B?", StringComparison.OrdinalIgnoreCase))
            subject = Encoding.UTF8.GetString(Convert.FromBase64String(subject[10..^2]));
        return new Message(Header("X-Receiver"), subject, body);
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
