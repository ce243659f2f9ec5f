using System.Globalization;
using System.Text.RegularExpressions;
using Attune.Data;
using Attune.Features.Privacy;
using Attune.Infrastructure.Images;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>
/// Therapist profiles and the public directory. A profile appears in the directory only while its
/// therapist has published it and no administrator has hidden it. Administrators verify licences
/// and can hide a profile; they see profiles and licences, never anyone's personal content.
/// </summary>
public sealed partial class TherapistDirectory(AttuneDb db, TimeProvider clock)
{
    public const int MaxName = 100, MaxCredentials = 200, MaxBio = 2000, MaxLanguages = 10, MaxPhotoBytes = 2 * 1024 * 1024, MaxFee = 100_000;
    public const int DefaultPage = 20, MaxPage = 50, MaxQuery = 100;

    public static bool IsCountry(string? value) => value is { Length: 2 } && value.All(char.IsAsciiLetterUpper);

    [GeneratedRegex(@"^[\p{L} ()'-]{2,40}$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    public Task<TherapistProfile?> OfUserAsync(string userId, CancellationToken ct = default) =>
        db.Set<TherapistProfile>().FirstOrDefaultAsync(p => p.UserId == userId, ct);

    /// <summary>
    /// A therapist at work: a profile that no administrator has hidden. Hiding a profile (for a
    /// licence that didn't check out, say) also pauses everything it gives: the caseload, what
    /// people let it see, assigning, proposing times, new notes.
    /// </summary>
    public Task<bool> IsWorkingAsync(string userId, CancellationToken ct = default) =>
        db.Set<TherapistProfile>().AnyAsync(p => p.UserId == userId && !p.HiddenByAdmin, ct);

    public async Task<MyProfileDto?> MineAsync(string userId, CancellationToken ct = default) =>
        await db.Set<TherapistProfile>().AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId, ct) is { } p ? Mine(p) : null;

    private static MyProfileDto Mine(TherapistProfile p) => new(Dto(p), p.LicenceNumber, p.Published, p.HiddenByAdmin);

    /// <summary>Creates or replaces my profile. Every field is checked before anything is saved.</summary>
    public async Task<(MyProfileDto? Profile, bool Created, FieldErrors? Errors)> SaveAsync(string userId, ProfileInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add("name", "Please give the name people will know you by.");
        errors.MaxLength("name", name, MaxName);
        var credentials = input.Credentials?.Trim() ?? "";
        errors.MaxLength("credentials", credentials, MaxCredentials);
        var licence = input.LicenceNumber?.Trim() ?? "";
        errors.MaxLength("licenceNumber", licence, 64);
        var licenceRegion = input.LicenceRegion?.Trim() ?? "";
        errors.MaxLength("licenceRegion", licenceRegion, 100);
        var modalities = (input.Modalities ?? []).Select(m => m?.Trim() ?? "").Distinct().ToList();
        if (modalities.Any(m => CareLists.Modalities.All(x => x.Code != m)))
            errors.Add("modalities", "Please choose from: " + string.Join(", ", CareLists.Modalities.Select(m => m.Code)) + ".");
        var formats = (input.Formats ?? []).Distinct().ToList();
        if (formats.Count == 0) errors.Add("formats", "Please say whether you work online, in person, or both.");
        else if (formats.Any(f => !CareLists.Formats.Contains(f))) errors.Add("formats", "Please choose online, inPerson, or both.");
        var city = Clean(input.City);
        var region = Clean(input.Region);
        errors.MaxLength("city", city, 100).MaxLength("region", region, 100);
        if (formats.Contains("inPerson") && city is null) errors.Add("city", "Please give the city where you meet people in person.");
        var country = input.Country?.Trim().ToUpperInvariant();
        if (!IsCountry(country)) errors.Add("country", "Please give the country as a two-letter code, like GB or US.");
        var languages = (input.Languages ?? []).Select(l => l?.Trim() ?? "").Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (languages.Count == 0) errors.Add("languages", "Please list at least one language you work in.");
        else if (languages.Count > MaxLanguages) errors.Add("languages", $"Please list up to {MaxLanguages} languages.");
        else if (languages.Any(l => !LanguagePattern().IsMatch(l))) errors.Add("languages", "Please write each language as a word, like English or Polish.");
        errors.Range("feeMin", input.FeeMin, 0, MaxFee).Range("feeMax", input.FeeMax, 0, MaxFee);
        if (input.FeeMin is { } min && input.FeeMax is { } max && min > max) errors.Add("feeMax", "The highest fee can't be below the lowest.");
        var currency = Clean(input.Currency)?.ToUpperInvariant();
        if (currency is not null && !CurrencyPattern().IsMatch(currency)) errors.Add("currency", "Please give the currency as a three-letter code, like GBP or EUR.");
        if ((input.FeeMin ?? input.FeeMax) is not null && currency is null) errors.Add("currency", "Please say which currency your fees are in.");
        var bio = input.Bio?.Trim() ?? "";
        errors.MaxLength("bio", bio, MaxBio);
        errors.PlainText("name", name).PlainText("credentials", credentials).PlainText("licenceNumber", licence).PlainText("licenceRegion", licenceRegion)
            .PlainText("city", city).PlainText("region", region).PlainText("bio", bio, multiline: true);
        if (errors.Any) return (null, false, errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var p = await OfUserAsync(userId, ct);
        var created = p is null;
        if (p is null)
        {
            p = new TherapistProfile { Id = Infrastructure.SequentialGuid.Next(), UserId = userId, CreatedAt = now };
            db.Add(p);
        }
        // The badge says an administrator checked this person, with these credentials and this
        // licence, where they work: a change to any of it takes the badge away until they check again.
        if (p.Name != name || p.Credentials != credentials || p.LicenceNumber != licence || p.LicenceRegion != licenceRegion
            || p.Region != region || p.Country != country) p.Verified = false;
        p.Name = name!;
        p.Credentials = credentials;
        p.LicenceNumber = licence;
        p.LicenceRegion = licenceRegion;
        p.Modalities = Wrap(modalities);
        p.Online = formats.Contains("online");
        p.InPerson = formats.Contains("inPerson");
        p.City = city;
        p.Region = region;
        p.Country = country!;
        p.Languages = Wrap(languages.Select(l => l.ToLowerInvariant()));
        p.FeeMin = input.FeeMin;
        p.FeeMax = input.FeeMax;
        p.Currency = currency;
        p.SlidingScale = input.SlidingScale ?? false;
        p.Accepting = input.Accepting ?? true;
        p.Bio = bio;
        p.Published = input.Published ?? p.Published;
        p.UpdatedAt = now;
        p.Search = string.Join(' ', new[] { p.Name, p.Credentials, p.City, p.Region, p.Bio, string.Join(' ', Split(p.Languages)) }
            .Concat(Split(p.Modalities).Select(CareLists.ModalityName))).ToLowerInvariant();
        if (p.Search.Length > 4000) p.Search = p.Search[..4000];
        await db.SaveChangesAsync(ct);
        return (Mine(p), created, null);
    }

    public async Task<FieldErrors?> SetPhotoAsync(string userId, byte[]? bytes, CancellationToken ct = default)
    {
        var p = await OfUserAsync(userId, ct);
        if (p is null) return new FieldErrors().Add("profile", "Please create your profile first.");
        if (bytes is null || bytes.Length == 0) return new FieldErrors().Add("image", "Please choose a PNG or JPEG photo.");
        var (image, problem) = ImageCheck.Check(bytes, allowJpeg: true, MaxPhotoBytes);
        if (image is null) return new FieldErrors().Add("image", problem!);
        p.Photo = image.Bytes;
        p.PhotoType = image.ContentType;
        p.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<bool> RemovePhotoAsync(string userId, CancellationToken ct = default)
    {
        var p = await OfUserAsync(userId, ct);
        if (p?.Photo is null) return false;
        (p.Photo, p.PhotoType) = (null, null);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private IQueryable<TherapistProfile> Listed => db.Set<TherapistProfile>().AsNoTracking().Where(p => p.Published && !p.HiddenByAdmin);

    /// <summary>A published profile, or null (404) when it is not listed.</summary>
    public async Task<TherapistDto?> GetAsync(Guid id, CancellationToken ct = default) =>
        await Listed.FirstOrDefaultAsync(p => p.Id == id, ct) is { } p ? Dto(p) : null;

    public async Task<(byte[] Bytes, string Type)?> PhotoAsync(Guid id, CancellationToken ct = default) =>
        await Listed.Where(p => p.Id == id && p.Photo != null).Select(p => new { p.Photo, p.PhotoType }).FirstOrDefaultAsync(ct) is { } x
            ? (x.Photo!, x.PhotoType!) : null;

    /// <summary>Checks the directory's filters; every one is named when it is wrong.</summary>
    public static FieldErrors Validate(DirectoryQuery q)
    {
        var errors = new FieldErrors();
        errors.MaxLength("q", q.Q, MaxQuery).PlainText("q", q.Q).PlainText("region", q.Region).PlainText("cursor", q.Cursor);
        if (q.Modality is { Length: > 0 } m && CareLists.Modalities.All(x => x.Code != m))
            errors.Add("modality", "Please choose from: " + string.Join(", ", CareLists.Modalities.Select(x => x.Code)) + ".");
        if (q.Format is { Length: > 0 } f && !CareLists.Formats.Contains(f)) errors.Add("format", "Please choose online or inPerson.");
        if (q.Language is { Length: > 0 } l && !LanguagePattern().IsMatch(l)) errors.Add("language", "Please write the language as a word, like English.");
        if (q.Country is { Length: > 0 } c && !IsCountry(c.ToUpperInvariant())) errors.Add("country", "Please give the country as a two-letter code, like GB.");
        errors.MaxLength("region", q.Region, 100);
        errors.Range("limit", q.Limit, 1, MaxPage);
        if (q.Cursor is { Length: > 0 } cur && !Cursor.TryParse(cur, out _)) errors.Add("cursor", "This page link isn't valid any more. Please start the search again.");
        return errors;
    }

    /// <summary>Searches published profiles, oldest first, a page at a time. Call <see cref="Validate"/> first.</summary>
    public async Task<Page<TherapistDto>> SearchAsync(DirectoryQuery q, CancellationToken ct = default)
    {
        var query = Listed;
        if (!string.IsNullOrWhiteSpace(q.Q))
        {
            foreach (var word in q.Q.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(8))
                query = query.Where(p => p.Search.Contains(word));
        }
        if (!string.IsNullOrEmpty(q.Modality)) { var m = "," + q.Modality + ","; query = query.Where(p => p.Modalities.Contains(m)); }
        if (q.Format == "online") query = query.Where(p => p.Online);
        if (q.Format == "inPerson") query = query.Where(p => p.InPerson);
        if (!string.IsNullOrEmpty(q.Language)) { var l = "," + q.Language.Trim().ToLowerInvariant() + ","; query = query.Where(p => p.Languages.Contains(l)); }
        if (!string.IsNullOrEmpty(q.Country)) { var c = q.Country.ToUpperInvariant(); query = query.Where(p => p.Country == c); }
        if (q.Accepting is { } accepting) query = query.Where(p => p.Accepting == accepting);
        if (!string.IsNullOrEmpty(q.Region))
        {
            var r = q.Region.Trim().ToLowerInvariant(); // a region or a city, as the therapist wrote it
#pragma warning disable CA1862 // translated to SQL lower(); the StringComparison overloads are not translatable
            query = query.Where(p => (p.Region != null && p.Region.ToLower() == r) || (p.City != null && p.City.ToLower() == r));
#pragma warning restore CA1862
        }
        if (Cursor.TryParse(q.Cursor, out var after)) query = query.Where(p => p.Id.CompareTo(after) > 0);
        var rows = await query.OrderBy(p => p.Id).Take(q.Limit + 1).ToListAsync(ct);
        return new Page<TherapistDto>(rows.Take(q.Limit).Select(Dto).ToList(), rows.Count > q.Limit ? Cursor.Of(rows[q.Limit - 1].Id) : null);
    }

    public async Task<bool> SetPublishedAsync(string userId, bool published, CancellationToken ct = default)
    {
        var p = await OfUserAsync(userId, ct);
        if (p is null) return false;
        p.Published = published;
        p.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }

    // ---- administrators ----

    public async Task<IReadOnlyList<AdminProfileDto>> AllForAdminAsync(CancellationToken ct = default) =>
        (await db.Set<TherapistProfile>().AsNoTracking().OrderBy(p => p.Verified).ThenBy(p => p.Id).Take(500).ToListAsync(ct))
            .Select(p => new AdminProfileDto(p.Id, p.Name, p.Credentials, p.LicenceNumber, p.LicenceRegion, p.Country, p.Verified, p.Published, p.HiddenByAdmin,
                new DateTimeOffset(p.UpdatedAt))).ToList();

    /// <summary>An administrator marks a licence verified (or not), or hides or shows a profile. Recorded in the therapist's security log.</summary>
    public async Task<bool> AdminSetAsync(Guid id, string adminId, bool? verified, bool? hidden, Infrastructure.AuditLog audit, CancellationToken ct = default)
    {
        var p = await db.Set<TherapistProfile>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return false;
        if (verified is { } v) p.Verified = v;
        if (hidden is { } h) p.HiddenByAdmin = h;
        await db.SaveChangesAsync(ct);
        var action = verified is { } vv ? (vv ? "therapist.verified" : "therapist.unverified") : hidden == true ? "therapist.hidden" : "therapist.shown";
        await audit.RecordAsync(adminId, action, "therapist", p.UserId, success: true, ct);
        return true;
    }

    public static TherapistDto Dto(TherapistProfile p)
    {
        var formats = new List<string>();
        if (p.Online) formats.Add("online");
        if (p.InPerson) formats.Add("inPerson");
        return new TherapistDto(p.Id, p.Name, p.Credentials, p.LicenceRegion, p.Verified, Split(p.Modalities).ToList(), formats, p.City, p.Region, p.Country,
            Split(p.Languages).Select(l => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(l)).ToList(), new Fees(p.FeeMin, p.FeeMax, p.Currency, p.SlidingScale),
            p.Accepting, p.Bio, p.Photo is not null);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Wrap(IEnumerable<string> values) => "," + string.Join(',', values) + ",";

    private static string[] Split(string wrapped) => wrapped.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
