using Attune.Infrastructure.Web;

namespace Attune.Features.Sharing;

/// <summary>What others shared with me, what I shared, and my conversations.</summary>
public sealed class SharedModel(Shares shares, IEnumerable<IConversationList> conversations) : SignedInPageModel
{
    public List<ShareDto> WithMe { get; private set; } = [];
    public List<ShareDto> Mine { get; private set; } = [];
    public List<ConversationLink> Conversations { get; private set; } = [];

    public string Label(string type) => shares.Label(type);

    public async Task OnGetAsync(CancellationToken ct)
    {
        WithMe = await shares.ListAsync(UserId, mine: false, ct);
        Mine = await shares.ListAsync(UserId, mine: true, ct);
        foreach (var list in conversations) Conversations.AddRange(await list.ListAsync(UserId, ct));
    }
}
