using Attune.Infrastructure.Web;

namespace Attune.Features.Journal;

/// <summary>What the journal pages share: who is signed in, and their time zone.</summary>
public abstract class JournalPageModel : SignedInPageModel
{
    public TimeZoneInfo Zone { get; protected set; } = TimeZoneInfo.Utc;

    public string Local(DateTimeOffset at, string format = "d MMM yyyy, HH:mm") =>
        TimeZoneInfo.ConvertTime(at, Zone).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
