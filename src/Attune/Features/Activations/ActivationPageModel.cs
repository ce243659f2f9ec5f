using System.Globalization;
using Attune.Infrastructure.Web;

namespace Attune.Features.Activations;

/// <summary>What the reaction pages share: who is signed in and their time zone.</summary>
public abstract class ActivationPageModel : SignedInPageModel
{
    public TimeZoneInfo Zone { get; protected set; } = TimeZoneInfo.Utc;

    public string Local(DateTimeOffset at, string format = "ddd d MMM yyyy, HH:mm") =>
        TimeZoneInfo.ConvertTime(at, Zone).ToString(format, CultureInfo.InvariantCulture);
}
