using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

/// <summary>The public directory: anyone can look, no account needed.</summary>
[AllowAnonymous]
public sealed class DirectoryModel(TherapistDirectory directory) : SignedInPageModel
{
    [FromQuery] public string? Q { get; set; }
    [FromQuery] public string? Modality { get; set; }
    [FromQuery] public string? Format { get; set; }
    [FromQuery] public string? Language { get; set; }
    [FromQuery] public string? Country { get; set; }
    [FromQuery] public string? Region { get; set; }
    [FromQuery] public string? Accepting { get; set; }
    [FromQuery] public string? Cursor { get; set; }

    public Page<TherapistDto> Results { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (query, errors) = CareApi.ParseQuery(Q, Modality, Format, Language, Country, Accepting == "on" ? "true" : Accepting, null, Cursor, Region);
        if (errors.Any) { Show(errors); return; }
        Results = await directory.SearchAsync(query, ct);
    }

    public string NextUrl => QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Q,
        ["modality"] = Modality,
        ["format"] = Format,
        ["language"] = Language,
        ["country"] = Country,
        ["accepting"] = Accepting,
        ["cursor"] = Results.Next,
    }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
}

/// <summary>One public profile, with a way to ask to connect.</summary>
[AllowAnonymous]
public sealed class TherapistModel(TherapistDirectory directory, CareService care, Assessments.CheckIns checkIns) : SignedInPageModel
{
    public TherapistDto Profile { get; private set; } = null!;
    public CareDto? Existing { get; private set; }
    public bool HasSigns { get; private set; }
    [BindProperty] public string? Message { get; set; }
    [BindProperty] public bool AttachSigns { get; set; }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await directory.GetAsync(id, ct) is not { } p) return false;
        Profile = p;
        if (User.Identity?.IsAuthenticated == true)
        {
            Existing = (await care.ListAsync(UserId, ct)).FirstOrDefault(c => c.Role == "person" && c.ProfileId == id);
            HasSigns = (await checkIns.ListAsync(UserId, "signs", ct)).Count > 0;
        }
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true) return Challenge(); // the page is open to all; asking needs an account
        var (request, errors) = await care.RequestAsync(UserId, id, new ConnectInput(Message, AttachSigns), ct);
        if (request is null && errors is null) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            await LoadAsync(id, ct);
            return Page();
        }
        TempData["Status"] = "Your request is on its way. You'll get an email when they answer. Nothing else is shared until you choose.";
        return Redirect("/care");
    }
}

/// <summary>Creating and changing my therapist profile.</summary>
public sealed class ProfileEditModel(TherapistDirectory directory, TherapistFlag flag) : SignedInPageModel
{
    [BindProperty] public ProfileForm Form { get; set; } = new();
    public MyProfileDto? Current { get; private set; }

    public sealed class ProfileForm
    {
        public string? Name { get; set; }
        public string? Credentials { get; set; }
        public string? LicenceNumber { get; set; }
        public string? LicenceRegion { get; set; }
        public List<string> Modalities { get; set; } = [];
        public List<string> Formats { get; set; } = [];
        public string? City { get; set; }
        public string? Region { get; set; }
        public string? Country { get; set; }
        public string? Languages { get; set; }
        public int? FeeMin { get; set; }
        public int? FeeMax { get; set; }
        public string? Currency { get; set; }
        public bool SlidingScale { get; set; }
        public bool Accepting { get; set; } = true;
        public string? Bio { get; set; }
        public bool Published { get; set; }
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Current = await directory.MineAsync(UserId, ct);
        if (Current is { Profile: var p } c)
            Form = new ProfileForm
            {
                Name = p.Name,
                Credentials = p.Credentials,
                LicenceNumber = c.LicenceNumber,
                LicenceRegion = p.LicenceRegion,
                Modalities = p.Modalities.ToList(),
                Formats = p.Formats.ToList(),
                City = p.City,
                Region = p.Region,
                Country = p.Country,
                Languages = string.Join(", ", p.Languages),
                FeeMin = p.Fees.Min,
                FeeMax = p.Fees.Max,
                Currency = p.Fees.Currency,
                SlidingScale = p.Fees.SlidingScale,
                Accepting = p.Accepting,
                Bio = p.Bio,
                Published = c.Published,
            };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Form;
        var input = new ProfileInput(f.Name, f.Credentials, f.LicenceNumber, f.LicenceRegion, f.Modalities, f.Formats, f.City, f.Region, f.Country,
            (f.Languages ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(), f.FeeMin, f.FeeMax, f.Currency,
            f.SlidingScale, f.Accepting, f.Bio, f.Published);
        var (_, _, errors) = await directory.SaveAsync(UserId, input, ct);
        flag.Forget(UserId);
        if (errors is not null)
        {
            Show(errors);
            Current = await directory.MineAsync(UserId, ct);
            return Page();
        }
        TempData["Status"] = f.Published ? "Saved. Your profile is in the directory." : "Saved. Your profile is not in the directory until you publish it.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPhotoAsync(IFormFile? photo, CancellationToken ct)
    {
        byte[]? bytes = null;
        if (photo is not null && photo.Length <= TherapistDirectory.MaxPhotoBytes)
        {
            using var ms = new MemoryStream();
            await photo.CopyToAsync(ms, ct);
            bytes = ms.ToArray();
        }
        else if (photo is not null) bytes = new byte[TherapistDirectory.MaxPhotoBytes + 1];
        var errors = await directory.SetPhotoAsync(UserId, bytes, ct);
        TempData["Status"] = errors is null ? "Your photo is saved." : string.Join(" ", errors.Items.Select(e => e.Message));
        return RedirectToPage();
    }
}

/// <summary>Administrators: verify licences and hide profiles. Anyone else gets 404.</summary>
public sealed class AdminTherapistsModel(TherapistDirectory directory, Infrastructure.AuditLog audit) : SignedInPageModel
{
    public IReadOnlyList<AdminProfileDto> Profiles { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsInRole(Administrators.Role)) return NotFound();
        Profiles = await directory.AllForAdminAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, bool? verified, bool? hidden, CancellationToken ct)
    {
        if (!User.IsInRole(Administrators.Role) || !await directory.AdminSetAsync(id, UserId, verified, hidden, audit, ct)) return NotFound();
        TempData["Status"] = "Saved.";
        return RedirectToPage();
    }
}
