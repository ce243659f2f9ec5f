using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

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
