using Attune.Features.Journey;
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

/// <summary>My care: my therapists and what each may see; for therapists, the way to the workspace.</summary>
public sealed class CareIndexModel(CareService care, TherapistDirectory directory, Appointments appointments) : SignedInPageModel
{
    public IReadOnlyList<CareDto> Mine { get; private set; } = [];
    public IReadOnlyList<AppointmentDto> Times { get; private set; } = [];
    public MyProfileDto? Profile { get; private set; }
    public IReadOnlyList<AssignmentDto> Assignments { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Mine = (await care.ListAsync(UserId, ct)).Where(c => c.Role == "person").ToList();
        Profile = await directory.MineAsync(UserId, ct);
        Assignments = await care.AssignmentsForPersonAsync(UserId, ct);
        Times = await appointments.ListAsync(UserId, ct);
    }

    public async Task<IActionResult> OnPostAcceptTimeAsync(Guid appointmentId, CancellationToken ct)
    {
        var (a, errors) = await appointments.AcceptAsync(UserId, appointmentId, ct);
        if (a is null && errors is null) return NotFound();
        TempData["Status"] = errors is null ? $"Agreed: {a!.LocalStart} ({a.TimeZone}). You can add it to your calendar below." : string.Join(" ", errors.Items.Select(e => e.Message));
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCancelTimeAsync(Guid appointmentId, CancellationToken ct)
    {
        if (!await appointments.CancelAsync(UserId, appointmentId, ct)) return NotFound();
        TempData["Status"] = "Done. They've been told, without any reason given.";
        return RedirectToPage();
    }

    /// <summary>An agreed time as a calendar file; for either of the two.</summary>
    public async Task<IActionResult> OnGetIcsAsync(Guid appointmentId, CancellationToken ct) =>
        await appointments.IcsAsync(UserId, appointmentId, ct) is { } ics
            ? File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", "attune-session.ics") : NotFound();

    public async Task<IActionResult> OnPostConsentsAsync(Guid id, bool journey, bool checkIns, bool activations, CancellationToken ct)
    {
        var (c, errors) = await care.SetConsentsAsync(UserId, id, new ConsentsPatch(journey, checkIns, activations), ct);
        if (c is null && errors is null) return NotFound();
        TempData["Status"] = errors is null ? "Saved. This takes effect straight away." : string.Join(" ", errors.Items.Select(e => e.Message));
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndAsync(Guid id, CancellationToken ct)
    {
        if (!await care.EndAsync(UserId, id, ct)) return NotFound();
        TempData["Status"] = "It has ended. They can no longer see anything of yours.";
        return RedirectToPage();
    }
}

/// <summary>Creating and changing my therapist profile.</summary>
public sealed class ProfileEditModel(TherapistDirectory directory) : SignedInPageModel
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

/// <summary>The therapist's workspace: requests waiting, and each person within what they agreed to.</summary>
public sealed class CaseloadModel(CareService care, TherapistDirectory directory, SessionNotes notes) : SignedInPageModel
{
    /// <summary>All my session notes as one Markdown file.</summary>
    public async Task<IActionResult> OnGetNotesAsync(CancellationToken ct) =>
        await directory.MineAsync(UserId, ct) is null ? NotFound()
            : File(System.Text.Encoding.UTF8.GetBytes(await notes.ExportAsync(UserId, ct)), "text/markdown; charset=utf-8", "attune-session-notes.md");

    public IReadOnlyList<CareRequestDto> Requests { get; private set; } = [];
    public IReadOnlyList<CaseloadEntry> People { get; private set; } = [];
    public bool IsTherapist { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        IsTherapist = await directory.MineAsync(UserId, ct) is not null;
        if (!IsTherapist) return;
        Requests = await care.RequestsAsync(UserId, ct);
        People = await care.CaseloadAsync(UserId, ct);
    }

    public async Task<IActionResult> OnPostAnswerAsync(Guid id, bool accept, CancellationToken ct)
    {
        if (await directory.MineAsync(UserId, ct) is null || await care.AnswerAsync(UserId, id, accept, ct) is not { } c) return NotFound();
        TempData["Status"] = accept ? $"You're connected with {c.OtherName}. They choose what you may see; until then you'll see only their name and the assignments you give."
            : "You said no. They are told kindly, without any reason.";
        return RedirectToPage();
    }
}

/// <summary>One person on the caseload: what they agreed to show, phases, and assignments.</summary>
public sealed class CaseloadPersonModel(CareService care, TherapistDirectory directory, Practices practices, SessionNotes notes, Appointments appointments, Data.AttuneDb db)
    : SignedInPageModel
{
    public CaseloadEntry Entry { get; private set; } = null!;
    public IReadOnlyList<AppointmentDto> Times { get; private set; } = [];
    public string TimeZone { get; private set; } = "UTC";
    [BindProperty] public List<string?> Options { get; set; } = [];
    [BindProperty] public int? Minutes { get; set; }
    [BindProperty] public string? Where { get; set; }
    public IReadOnlyList<NoteDto> Notes { get; private set; } = [];
    [BindProperty] public string? NoteText { get; set; }
    [BindProperty] public string? SessionDate { get; set; }
    public IEnumerable<Practice> AllPractices => practices.All.OrderBy(p => p.Phase).ThenBy(p => p.Title);
    [BindProperty] public string? Practice { get; set; }
    [BindProperty] public string? Instrument { get; set; }
    [BindProperty] public string? DueAt { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public int? RepeatEveryDays { get; set; }

    private async Task<bool> LoadAsync(string personId, CancellationToken ct)
    {
        if (await directory.MineAsync(UserId, ct) is null || await care.PersonAsync(UserId, personId, ct) is not { } e) return false;
        Entry = e;
        Notes = await notes.ListAsync(UserId, personId, ct) ?? [];
        Times = (await appointments.ListAsync(UserId, ct)).Where(a => a.CareId == e.CareId).ToList();
        TimeZone = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Users.Where(u => u.Id == UserId).Select(u => u.TimeZone), ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string personId, CancellationToken ct) => await LoadAsync(personId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAssignAsync(string personId, CancellationToken ct)
    {
        if (await directory.MineAsync(UserId, ct) is null) return NotFound();
        var what = Practice ?? "";
        var input = what.StartsWith("checkin:", StringComparison.Ordinal)
            ? new AssignmentInput(null, what["checkin:".Length..], DueAt, Note, RepeatEveryDays)
            : new AssignmentInput(string.IsNullOrEmpty(what) ? null : what, null, DueAt, Note, RepeatEveryDays);
        var (_, found, errors) = await care.AssignAsync(UserId, personId, input, ct);
        if (!found) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            if (ModelState.TryGetValue("instrument", out var e) && e.Errors.Count > 0) ModelState.AddModelError("practice", e.Errors[0].ErrorMessage);
            await LoadAsync(personId, ct);
            return Page();
        }
        TempData["Status"] = "Sent. They'll see it on their Today page.";
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostPhaseAsync(string personId, int number, string open, string? reason, CancellationToken ct)
    {
        if (await directory.MineAsync(UserId, ct) is null) return NotFound();
        bool? state = open switch { "open" => true, "close" => false, _ => null };
        var (found, errors) = await care.SetPhaseAsync(UserId, personId, number, new PhaseInput(state, reason), ct);
        if (!found) return NotFound();
        TempData["Status"] = errors is null ? "Done. They can see this change, and your reason, in their access log." : string.Join(" ", errors.Items.Select(e => e.Message));
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostNoteAsync(string personId, Guid? noteId, CancellationToken ct)
    {
        if (await directory.MineAsync(UserId, ct) is null) return NotFound();
        FieldErrors? errors;
        if (noteId is { } id)
        {
            var (note, e) = await notes.UpdateAsync(UserId, id, new NoteInput(SessionDate, NoteText), ct);
            if (note is null && e is null) return NotFound();
            errors = e;
        }
        else
        {
            var (_, found, e) = await notes.CreateAsync(UserId, personId, new NoteInput(SessionDate, NoteText), ct);
            if (!found) return NotFound();
            errors = e;
        }
        if (errors is not null)
        {
            Show(errors);
            if (!await LoadAsync(personId, ct)) return NotFound();
            return Page();
        }
        TempData["Status"] = "Your note is saved. Only you can read it.";
        return RedirectToPage(new { personId });
    }

    /// <summary>Times typed in the therapist's own time zone (a datetime-local field), offered to the person.</summary>
    public async Task<IActionResult> OnPostProposeAsync(string personId, CancellationToken ct)
    {
        if (!await LoadAsync(personId, ct)) return NotFound();
        var zone = Appointments.Zone(TimeZone);
        var options = new List<string>();
        foreach (var o in Options.Where(o => !string.IsNullOrWhiteSpace(o)))
        {
            if (!DateTime.TryParse(o, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local))
            {
                ModelState.AddModelError("options", "Please choose a date and a time.");
                return Page();
            }
            var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
            options.Add(new DateTimeOffset(utc, TimeSpan.Zero).ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        }
        var (_, found, errors) = await appointments.ProposeAsync(UserId, personId, new ProposalInput(options, Minutes, Where), ct);
        if (!found) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            return Page();
        }
        TempData["Status"] = "Sent. They'll choose the time that works.";
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostCancelTimeAsync(string personId, Guid appointmentId, CancellationToken ct)
    {
        if (!await appointments.CancelAsync(UserId, appointmentId, ct)) return NotFound();
        TempData["Status"] = "Cancelled. They've been told.";
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostDeleteNoteAsync(string personId, Guid noteId, CancellationToken ct)
    {
        if (!await notes.DeleteAsync(UserId, noteId, ct)) return NotFound();
        TempData["Status"] = "The note is deleted.";
        return RedirectToPage(new { personId });
    }

    public async Task<IActionResult> OnPostEndAsync(string personId, CancellationToken ct)
    {
        if (!await LoadAsync(personId, ct) || !await care.EndAsync(UserId, Entry.CareId, ct)) return NotFound();
        TempData["Status"] = "It has ended. You no longer see anything of theirs.";
        return Redirect("/caseload");
    }
}

/// <summary>The secure conversation between a person and their therapist, live both ways.</summary>
public sealed class CareMessagesModel(CareService care) : SignedInPageModel
{
    [BindProperty] public string? Text { get; set; }
    public CareConversation Conversation { get; private set; } = null!;
    public string? EmptyText => "No messages yet.";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await care.ConversationAsync(UserId, id, ct) is not { } c) return NotFound();
        Conversation = c;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var (message, errors) = await care.PostMessageAsync(UserId, id, new Circle.ThreadMessageInput(Text), ct);
        if (message is null && errors is null) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            Conversation = (await care.ConversationAsync(UserId, id, ct))!;
            return Page();
        }
        return Redirect($"/care/{id}/messages#end");
    }
}

/// <summary>Administrators: verify licences and hide profiles. Anyone else gets 404.</summary>
public sealed class AdminTherapistsModel(TherapistDirectory directory, Infrastructure.AuditLog audit) : SignedInPageModel
{
    public IReadOnlyList<AdminProfileDto> Profiles { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsInRole(JourneyApi.AdminRole)) return NotFound();
        Profiles = await directory.AllForAdminAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, bool? verified, bool? hidden, CancellationToken ct)
    {
        if (!User.IsInRole(JourneyApi.AdminRole) || !await directory.AdminSetAsync(id, UserId, verified, hidden, audit, ct)) return NotFound();
        TempData["Status"] = "Saved.";
        return RedirectToPage();
    }
}
