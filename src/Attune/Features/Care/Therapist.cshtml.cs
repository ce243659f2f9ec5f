using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

/// <summary>One public profile, with a way to ask to connect.</summary>
[AllowAnonymous]
public sealed class TherapistModel(TherapistDirectory directory, CareService care, Assessments.CheckIns checkIns, ITherapistGroups groups) : SignedInPageModel
{
    public TherapistDto Profile { get; private set; } = null!;
    public CareDto? Existing { get; private set; }
    public bool HasSigns { get; private set; }
    public IReadOnlyList<TherapistGroupCard> Groups { get; private set; } = [];
    [BindProperty] public string? Message { get; set; }
    [BindProperty] public bool AttachSigns { get; set; }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await directory.GetAsync(id, ct) is not { } p) return false;
        Profile = p;
        var signedIn = User.Identity?.IsAuthenticated == true;
        Groups = await groups.ListedByAsync(id, signedIn ? (await Me.ZoneAsync(ct)).Id : null, ct);
        if (signedIn)
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
