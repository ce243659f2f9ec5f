using System.Text.RegularExpressions;
using MimeKit;

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
        using var message = MimeMessage.Load(path);
        return new Message(message.To.Mailboxes.Single().Address, message.Subject ?? "", message.TextBody ?? "");
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
