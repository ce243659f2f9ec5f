namespace Attune.Features.Care;

public static class CareLists
{
    public static readonly IReadOnlyList<(string Code, string Name)> Modalities =
    [
        ("ifs", "Internal Family Systems (IFS)"),
        ("emdr", "EMDR"),
        ("somatic", "Somatic experiencing"),
        ("schema", "Schema therapy"),
        ("attachment", "Attachment-focused"),
        ("psychodynamic", "Psychodynamic"),
        ("cbt", "CBT"),
        ("dbt", "DBT"),
        ("art", "Art therapy"),
        ("other", "Other"),
    ];

    public static string ModalityName(string code) => Modalities.FirstOrDefault(m => m.Code == code).Name ?? code;

    public static readonly IReadOnlyList<string> Formats = ["online", "inPerson"];
}
