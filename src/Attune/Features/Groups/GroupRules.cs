using System.Globalization;
using System.Text.Json;
using Attune.Infrastructure.Web;

namespace Attune.Features.Groups;

/// <summary>
/// What a group's offering may hold, checked in one place for create and edit: sizes, lengths, the
/// zone, and meeting times given in the group's own zone. A local time that falls in a daylight-saving
/// gap, or happens twice when the clocks go back, is refused rather than guessed.
/// </summary>
public static class GroupRules
{
    public const int MinCapacity = 3, MaxCapacity = 12, MaxMeetings = 24, MinMinutes = 30, MaxMinutes = 180,
        MaxTitle = 120, MaxForWhom = 300, MaxDescription = 4000, MaxFocus = 200, MaxFacilitatorName = 80,
        MaxQuestions = 10, MaxQuestion = 300, MaxAgreements = 12, MaxAgreement = 400, MaxAnswer = 2000,
        MaxGroupName = 40, MaxReason = 500, MaxNote = 1000, DefaultMinutes = 90;

    public static readonly string[] Joins = ["apply", "invite"];
    public static readonly string[] Retentions = ["meeting", "days30"];

    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"];

    public static TimeZoneInfo? Zone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A required line of text: present, plain, not too long.</summary>
    public static void Required(FieldErrors errors, string field, string? value, int max, string missing, bool multiline = false)
    {
        if (value is null) errors.Add(field, missing);
        errors.MaxLength(field, value, max).PlainText(field, value, multiline);
    }

    /// <summary>A list of short texts (questions, agreements): each present, plain and short, and not too many.</summary>
    public static List<string> Lines(FieldErrors errors, string field, List<string>? values, int maxCount, int maxLength)
    {
        var lines = (values ?? []).Select(v => v?.Trim() ?? "").ToList();
        if (lines.Count > maxCount) errors.Add(field, $"Please keep it to {maxCount} or fewer.");
        for (var i = 0; i < lines.Count && i < maxCount; i++)
        {
            if (lines[i].Length == 0) errors.Add($"{field}[{i}]", "Please write something here, or take the line out.");
            errors.MaxLength($"{field}[{i}]", lines[i], maxLength).PlainText($"{field}[{i}]", lines[i]);
        }
        return lines;
    }

    /// <summary>
    /// Meeting times from local times in <paramref name="zone"/>: UTC starts, or errors naming
    /// <c>{field}[i].startsAt</c>. Each must be after <paramref name="now"/> and within two years.
    /// </summary>
    public static List<(DateTime StartsAt, int Minutes)> Meetings(FieldErrors errors, string field, List<MeetingInput>? meetings,
        TimeZoneInfo zone, int defaultMinutes, DateTime now, int alreadyPlanned = 0)
    {
        var result = new List<(DateTime, int)>();
        var list = meetings ?? [];
        if (alreadyPlanned + list.Count > MaxMeetings) { errors.Add(field, $"A cycle has at most {MaxMeetings} meetings."); return result; }
        for (var i = 0; i < list.Count; i++)
        {
            var name = $"{field}[{i}].startsAt";
            var text = list[i]?.StartsAt?.Trim();
            if (text is null || !DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                errors.Add(name, "Please give the date and time in the group's time zone, like 2027-01-14T19:00.");
                continue;
            }
            local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            if (zone.IsInvalidTime(local)) { errors.Add(name, "The clocks go forward at that time, so it doesn't exist that day. Please choose another time."); continue; }
            if (zone.IsAmbiguousTime(local)) { errors.Add(name, "The clocks go back at that time, so it happens twice that day. Please choose another time."); continue; }
            var utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
            if (utc <= now || utc > now.AddYears(2)) { errors.Add(name, "Please choose a time from now to two years ahead."); continue; }
            var minutes = list[i].Minutes ?? defaultMinutes;
            if (minutes is < MinMinutes or > MaxMinutes) { errors.Add($"{field}[{i}].minutes", $"A meeting lasts {MinMinutes} to {MaxMinutes} minutes."); continue; }
            result.Add((utc, minutes));
        }
        return result;
    }

    public static string Json(IReadOnlyList<string> lines) => JsonSerializer.Serialize(lines);

    public static IReadOnlyList<string> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];

    /// <summary>"Tue 14 Jan, 19:00 (Dublin time)": a start in someone's own zone, named in words.</summary>
    public static string LocalLine(DateTime utc, string zoneId)
    {
        var zone = Zone(zoneId) ?? TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        var time = local.ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);
        return zoneId == "UTC" ? $"{time} UTC" : $"{time} ({Account.Places.ZoneTime(zoneId)})";
    }

    /// <summary>How long the room's words are kept, in words shown before anyone joins.</summary>
    /// <summary>What happens to a meeting's words, in one sentence (the directory's cards); <c>_Retention</c> says the whole of it.</summary>
    public static string RetentionText(string retention) => retention == "days30"
        ? "Words from a meeting stay on the group's board for 30 days, then go."
        : "Words from a meeting go when the meeting closes.";

    /// <summary>Everything a group keeps and for how long, the same on every page that says it (<c>_Retention</c>).</summary>
    public static IReadOnlyList<string> RetentionLines(string retention) =>
    [
        retention == "days30"
            ? "What is said in a meeting is kept for 30 days after the meeting, so members can read it again on the group's board under \"From our meetings\". Then it is gone."
            : "What is said in a meeting is gone when the meeting closes.",
        "Posts on the group's board go 30 days after they were written.",
        "When the group closes, its board can still be read, but not added to, for 14 days. Then everything the group wrote is gone.",
        "You can withdraw your own words at any time, and they go for everyone.",
    ];
}
