using Attune.Infrastructure.Web;

namespace Attune.Features.Groups;

/// <summary>My groups: those I facilitate, belong to, or asked to join, and any note from a group I was removed from.</summary>
public sealed class MineModel(GroupsService groups) : SignedInPageModel
{
    public MyGroupsDto Mine { get; private set; } = new([], [], [], []);

    public async Task OnGetAsync(CancellationToken ct) => Mine = await groups.MineAsync(UserId, ct);

    public static string StatusText(string status) => status switch
    {
        "pending" => "Waiting for the facilitator to answer",
        "accepted" => "Accepted: read the agreements to join",
        "waitlisted" => "On the waitlist",
        "declined" => "Not this time",
        _ => "Withdrawn",
    };
}
