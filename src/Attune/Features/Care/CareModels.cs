using Attune.Features.Account;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Care;

/// <summary>
/// A therapist's profile. Everything on it is written to be public once published, so it is kept
/// in plain text where the directory can search it; the form says so. The licence is
/// self-declared; only an administrator sets <see cref="Verified"/>. An administrator can also
/// hide a profile from the directory (<see cref="HiddenByAdmin"/>).
/// </summary>
public sealed class TherapistProfile
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Credentials { get; set; } = "";
    public string LicenceNumber { get; set; } = "";
    public string LicenceRegion { get; set; } = "";
    public bool Verified { get; set; }
    /// <summary>Codes from <see cref="CareLists.Modalities"/>, each wrapped in commas (",ifs,emdr,") so one can be matched exactly.</summary>
    public string Modalities { get; set; } = ",";
    public bool Online { get; set; }
    public bool InPerson { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string Country { get; set; } = "";
    /// <summary>Language names in lower case, wrapped in commas (",english,polish,").</summary>
    public string Languages { get; set; } = ",";
    public int? FeeMin { get; set; }
    public int? FeeMax { get; set; }
    public string? Currency { get; set; }
    public bool SlidingScale { get; set; }
    public bool Accepting { get; set; }
    public string Bio { get; set; } = "";
    public bool Published { get; set; }
    public bool HiddenByAdmin { get; set; }
    public byte[]? Photo { get; set; }
    public string? PhotoType { get; set; }
    /// <summary>Lower-case text the directory's free-text search looks in.</summary>
    public string Search { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<TherapistProfile>
    {
        public void Configure(EntityTypeBuilder<TherapistProfile> b)
        {
            b.ToTable("TherapistProfiles");
            b.HasKey(p => p.Id);
            b.HasIndex(p => p.UserId).IsUnique();
            b.HasIndex(p => new { p.Published, p.HiddenByAdmin, p.Country });
            b.Property(p => p.Name).HasMaxLength(TherapistDirectory.MaxName);
            b.Property(p => p.Credentials).HasMaxLength(TherapistDirectory.MaxCredentials);
            b.Property(p => p.LicenceNumber).HasMaxLength(64);
            b.Property(p => p.LicenceRegion).HasMaxLength(100);
            b.Property(p => p.Modalities).HasMaxLength(300);
            b.Property(p => p.City).HasMaxLength(100);
            b.Property(p => p.Region).HasMaxLength(100);
            b.Property(p => p.Country).HasMaxLength(2);
            b.Property(p => p.Languages).HasMaxLength(500);
            b.Property(p => p.Currency).HasMaxLength(3);
            b.Property(p => p.Bio).HasMaxLength(TherapistDirectory.MaxBio);
            b.Property(p => p.PhotoType).HasMaxLength(16);
            b.Property(p => p.Search).HasMaxLength(4000);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>
/// A person and a therapist: first a request, then (once accepted) a care relationship. The
/// person alone sets the consents; each is off until they turn it on. Words between the two (the
/// request's message, assignment notes) are sealed under a pair key kept twice on this row,
/// sealed under each person's data key, as in the circle. Ending it, from either side, deletes
/// the row and everything under it.
/// </summary>
public sealed class CareRelationship
{
    public const string Table = "care_relationships";

    public Guid Id { get; set; }
    public string PersonId { get; set; } = "";
    public string TherapistId { get; set; } = "";
    /// <summary><c>requested</c>, <c>active</c> or <c>declined</c>.</summary>
    public string Status { get; set; } = CareStatus.Requested;
    public Sealed PairKeyPerson { get; set; } = null!;
    public Sealed PairKeyTherapist { get; set; } = null!;
    public Sealed? Message { get; set; }
    /// <summary>The person's latest Signs result as they chose to attach it (numbers only), under the pair key.</summary>
    public Sealed? Signs { get; set; }
    public bool ConsentJourney { get; set; }
    public bool ConsentCheckIns { get; set; }
    public bool ConsentActivations { get; set; }
    public DateTime RequestedAt { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public DateTime? ConsentsChangedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CareRelationship>
    {
        public void Configure(EntityTypeBuilder<CareRelationship> b)
        {
            b.ToTable("CareRelationships");
            b.HasKey(c => c.Id);
            b.Property(c => c.Status).HasMaxLength(16);
            b.HasIndex(c => new { c.PersonId, c.TherapistId }).IsUnique();
            b.HasIndex(c => new { c.TherapistId, c.Status });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(c => c.TherapistId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public static class CareStatus
{
    public const string Requested = "requested", Active = "active", Declined = "declined";
}

/// <summary>
/// A practice or a check-in a therapist asks a person to do by a date. It is done when the person
/// completes that practice, or takes that check-in, after it was set. The note is sealed under
/// the relationship's pair key.
/// </summary>
public sealed class CareAssignment
{
    public const string Table = "care_assignments";

    public Guid Id { get; set; }
    public Guid CareId { get; set; }
    /// <summary><c>practice</c> or <c>checkIn</c>.</summary>
    public string Kind { get; set; } = "";
    /// <summary>The practice's slug or the instrument's code.</summary>
    public string Code { get; set; } = "";
    public DateTime DueAt { get; set; }
    public Sealed? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>For a recurring check-in: days between one and the next. At each due time the next one is set.</summary>
    public int? RepeatDays { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CareAssignment>
    {
        public void Configure(EntityTypeBuilder<CareAssignment> b)
        {
            b.ToTable("CareAssignments");
            b.HasKey(a => a.Id);
            b.Property(a => a.Kind).HasMaxLength(16);
            b.Property(a => a.Code).HasMaxLength(64);
            b.HasIndex(a => new { a.CareId, a.DueAt });
            b.HasOne<CareRelationship>().WithMany().HasForeignKey(a => a.CareId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>A secure message between a therapist and a person, sealed under their relationship's pair key.</summary>
public sealed class CareMessage
{
    public const string Table = "care_messages";

    public Guid Id { get; set; }
    public Guid CareId { get; set; }
    public string AuthorId { get; set; } = "";
    public Sealed Body { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CareMessage>
    {
        public void Configure(EntityTypeBuilder<CareMessage> b)
        {
            b.ToTable("CareMessages");
            b.HasKey(m => m.Id);
            b.Property(m => m.AuthorId).HasMaxLength(64);
            b.HasIndex(m => new { m.CareId, m.CreatedAt });
            b.HasOne<CareRelationship>().WithMany().HasForeignKey(m => m.CareId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>
/// A therapist's private session note about one person, sealed under the therapist's own key: no
/// one else, the person included, can read it. Notes are the therapist's record, so they stay when
/// the relationship ends (the therapist can still read and export them); they are deleted with the
/// therapist's account, and also with the person's, since the person asked for everything about
/// them to go.
/// </summary>
public sealed class SessionNote
{
    public const string Table = "session_notes";

    public Guid Id { get; set; }
    public string TherapistId { get; set; } = "";
    public string PersonId { get; set; } = "";
    /// <summary>The day of the session the note is about (the therapist's calendar day).</summary>
    public DateOnly SessionDate { get; set; }
    public Sealed Text { get; set; } = null!;
    /// <summary>The person's name when the note was written, so a note still reads well after the relationship ends.</summary>
    public Sealed PersonName { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<SessionNote>
    {
        public void Configure(EntityTypeBuilder<SessionNote> b)
        {
            b.ToTable("SessionNotes");
            b.HasKey(n => n.Id);
            b.HasIndex(n => new { n.TherapistId, n.PersonId, n.SessionDate });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(n => n.TherapistId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(n => n.PersonId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>
/// A session time. The therapist proposes one to three options (one proposal); the person accepts
/// one, and the others go. Where (a place or a video link) is sealed under the pair key.
/// </summary>
public sealed class CareAppointment
{
    public const string Table = "care_appointments";

    public Guid Id { get; set; }
    public Guid CareId { get; set; }
    public Guid ProposalId { get; set; }
    public DateTime StartsAt { get; set; }
    public int Minutes { get; set; }
    public Sealed? Where { get; set; }
    /// <summary><c>proposed</c> or <c>accepted</c>.</summary>
    public string Status { get; set; } = "proposed";
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CareAppointment>
    {
        public void Configure(EntityTypeBuilder<CareAppointment> b)
        {
            b.ToTable("CareAppointments");
            b.HasKey(a => a.Id);
            b.Property(a => a.Status).HasMaxLength(16);
            b.HasIndex(a => new { a.CareId, a.StartsAt });
            b.HasOne<CareRelationship>().WithMany().HasForeignKey(a => a.CareId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

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

// ---- API shapes ----

public sealed record ProfileInput(
    string? Name, string? Credentials, string? LicenceNumber, string? LicenceRegion, List<string>? Modalities, List<string>? Formats,
    string? City, string? Region, string? Country, List<string>? Languages, int? FeeMin, int? FeeMax, string? Currency, bool? SlidingScale,
    bool? Accepting, string? Bio, bool? Published);

public sealed record Fees(int? Min, int? Max, string? Currency, bool SlidingScale);

/// <summary>A profile as anyone may see it once published.</summary>
public sealed record TherapistDto(
    Guid Id, string Name, string Credentials, string LicenceRegion, bool Verified, IReadOnlyList<string> Modalities, IReadOnlyList<string> Formats,
    string? City, string? Region, string Country, IReadOnlyList<string> Languages, Fees Fees, bool Accepting, string Bio, bool HasPhoto);

/// <summary>My own profile: the public part, and what only I (and administrators) see.</summary>
public sealed record MyProfileDto(TherapistDto Profile, string LicenceNumber, bool Published, bool HiddenByAdmin);

/// <summary>What an administrator sees: the profile and its licence, never anyone's personal content.</summary>
public sealed record AdminProfileDto(Guid Id, string Name, string Credentials, string LicenceNumber, string LicenceRegion, string Country,
    bool Verified, bool Published, bool HiddenByAdmin, DateTimeOffset UpdatedAt);

public sealed record DirectoryQuery(string? Q, string? Modality, string? Format, string? Language, string? Country, bool? Accepting, int Limit, string? Cursor, string? Region = null);

public sealed record PhotoInput(string? Image);

public sealed record ConnectInput(string? Message, bool? AttachSigns);

public sealed record Consents(bool Journey, bool CheckIns, bool Activations);

public sealed record ConsentsPatch(bool? Journey, bool? CheckIns, bool? Activations);

public sealed record SignsSnapshot(int Total, int MaxTotal, string? Band, IReadOnlyDictionary<string, int> Patterns, DateTimeOffset TakenAt);

/// <summary>A request to connect as the therapist sees it.</summary>
public sealed record CareRequestDto(Guid Id, string PersonId, string PersonName, string? Message, SignsSnapshot? Signs, DateTimeOffset RequestedAt);

/// <summary>
/// One care relationship as one side sees it: <c>role</c> is <c>person</c> (they are my
/// therapist) or <c>therapist</c> (I am theirs).
/// </summary>
public sealed record CareDto(Guid Id, string Role, string Status, string OtherUserId, string OtherName, Guid? ProfileId, Consents Consents,
    DateTimeOffset RequestedAt, DateTimeOffset? Since);

public sealed record AssignmentInput(string? Practice, string? Instrument, string? DueAt, string? Note, int? RepeatEveryDays = null);

/// <summary>
/// An assignment. The person sees when they did it and how it went; the therapist sees whether and
/// when it was done, and how it went (distress before and after a practice, a check-in's score),
/// only under the matching consent (journey for practices, check-ins for check-ins).
/// </summary>
public sealed record AssignmentDto(Guid Id, Guid CareId, string Kind, string Code, string Title, DateTimeOffset DueAt, string? Note,
    DateTimeOffset CreatedAt, DateTimeOffset? DoneAt, int? SudsBefore, int? SudsAfter, int? Score, string? Band, string TherapistName, string Link, int? RepeatEveryDays);

public sealed record PhaseInput(bool? Open, string? Reason);

public sealed record CheckInSummary(string Code, string Title, int Latest, int First, int MaxTotal, string? Band, DateTimeOffset TakenAt, int Count);

public sealed record ActivationTrend(int Last28Days, double? MeanIntensity, int Previous28Days, double? PreviousMeanIntensity, string Direction,
    IReadOnlyList<PatternCount> Patterns);

public sealed record PatternCount(string Code, string Name, int Count);

public sealed record JourneySummary(int Phase, string PhaseTitle, int CompletedLast30Days, double? SudsBeforeMean, double? SudsAfterMean,
    IReadOnlyList<PhaseState> Phases);

public sealed record PhaseState(int Number, string Title, string Status);

/// <summary>
/// One person on a therapist's caseload, within the consents: each part is null without its
/// consent. <c>safetyFlag</c> is set (with check-in consent, which tells the person so) when
/// their latest PHQ-9 answered item 9 above zero.
/// </summary>
public sealed record CaseloadEntry(string PersonId, Guid CareId, string Name, DateTimeOffset Since, Consents Consents,
    JourneySummary? Journey, IReadOnlyList<CheckInSummary>? CheckIns, bool SafetyFlag, ActivationTrend? Activations,
    int AssignmentsOpen, DateTimeOffset? NextDue, IReadOnlyList<AssignmentDto> Assignments);

/// <summary>The secure conversation between a therapist and a person.</summary>
public sealed record CareConversation(Guid CareId, string With, string Role, IReadOnlyList<Circle.ThreadMessageDto> Messages);

public sealed record NoteInput(string? SessionDate, string? Text);

public sealed record NoteDto(Guid Id, string PersonId, string PersonName, string SessionDate, string Text, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ProposalInput(List<string>? Options, int? Minutes, string? Where);

/// <summary>An appointment as one side sees it, with its start in that person's own time zone.</summary>
public sealed record AppointmentDto(Guid Id, Guid CareId, Guid ProposalId, string With, string Role, string Status, DateTimeOffset StartsAt, int Minutes,
    string LocalStart, string TimeZone, string? Where);
