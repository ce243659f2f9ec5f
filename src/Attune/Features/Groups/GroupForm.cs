namespace Attune.Features.Groups;

/// <summary>
/// The create and edit forms as the page posts them: lists are one item a line, so the form works
/// without scripts. Field errors come back under the API's names (title, meetings[0].startsAt, …).
/// </summary>
public sealed class GroupForm
{
    public string? Title { get; set; }
    public string? ForWhom { get; set; }
    public string? Description { get; set; }
    public string? Focus { get; set; }
    public int? Part { get; set; }
    public string? Language { get; set; } = "en";
    public int? Capacity { get; set; } = 8;
    public string? TimeZone { get; set; }
    public int? MeetingMinutes { get; set; } = GroupRules.DefaultMinutes;
    public string Join { get; set; } = "apply";
    public bool Listed { get; set; }
    public string Retention { get; set; } = "meeting";
    public string? FacilitatorName { get; set; }
    public string? Questions { get; set; }
    public string? Agreements { get; set; }
    /// <summary>New meetings, one local date and time a line ("2027-01-14 19:00").</summary>
    public string? Meetings { get; set; }
    public List<Guid> Cancel { get; set; } = [];

    private static List<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    private List<MeetingInput> MeetingInputs() => [.. Lines(Meetings).Select(l => new MeetingInput(l, null))];

    public GroupInput ToInput() => new(Title, ForWhom, Description, Focus, Part, Language, Capacity, TimeZone, MeetingMinutes, Join, Listed,
        Lines(Questions), Lines(Agreements), Retention, MeetingInputs(), FacilitatorName);

    public GroupPatch ToPatch() => new(Title ?? "", ForWhom ?? "", Description ?? "", Focus ?? "", Part, Language, Capacity, MeetingMinutes, Join, Listed,
        Lines(Questions), Lines(Agreements), Retention, MeetingInputs(), Cancel, FacilitatorName);

    public static GroupForm From(GroupDto g) => new()
    {
        Title = g.Title,
        ForWhom = g.ForWhom,
        Description = g.Description,
        Focus = g.Focus,
        Part = g.Part,
        Language = g.Language,
        Capacity = g.Capacity,
        TimeZone = g.TimeZone,
        MeetingMinutes = g.MeetingMinutes,
        Join = g.Join,
        Listed = g.Listing is "listed" or "pending" or "hidden",
        Retention = g.Retention,
        FacilitatorName = g.FacilitatorName,
        Questions = string.Join('\n', g.Questions),
        Agreements = string.Join('\n', g.Agreements),
    };
}

/// <summary>What the shared form partial needs from the create and edit pages.</summary>
public interface IGroupFormPage
{
    GroupForm Form { get; }
    IReadOnlyList<MeetingDto> Existing { get; }
    string? Err(string field);
}
