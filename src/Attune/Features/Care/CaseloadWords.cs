using System.Globalization;

namespace Attune.Features.Care;

/// <summary>The workspace's numbers and states in words a therapist reads at a glance, not the codes they are stored as.</summary>
public static class CaseloadWords
{
    public static string Phase(string status) => status switch
    {
        "open" => "Open",
        "completed" => "Done",
        "locked" => "Not open yet",
        _ => status,
    };

    public static string Trend(string direction, bool sentence = false) => (direction, sentence) switch
    {
        ("rising", false) => "stronger than the 4 weeks before",
        ("easing", false) => "easing compared with the 4 weeks before",
        ("steady", false) => "about the same as the 4 weeks before",
        ("new", false) => "none the 4 weeks before",
        (_, false) => "none logged",
        ("rising", true) => "Reactions have been stronger than the 4 weeks before.",
        ("easing", true) => "Reactions have been easing.",
        ("steady", true) => "About the same as before.",
        ("new", true) => "Nothing to compare with yet.",
        _ => "",
    };

    public static string Intensity(double? mean) =>
        mean is { } m ? $"{m.ToString("0.#", CultureInfo.InvariantCulture)} of 10 on average" : "no intensity given";
}
