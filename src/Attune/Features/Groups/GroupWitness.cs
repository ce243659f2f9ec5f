using System.Collections.Immutable;
using Attune.Features.Sharing;

namespace Attune.Features.Groups;

/// <summary>
/// Witnessing, the same in the room and on the board: four fixed replies or a short reflection in
/// one's own words; a reflection that opens like advice is asked about first (400 with
/// <c>adviceLike</c>) and goes only when the writer says "send as it is"; a fixed reply toggles,
/// and a second reflection on the same post takes the first one's place.
/// </summary>
public static class GroupWitness
{
    /// <summary>The fixed replies, in the order the pages show them.</summary>
    public static readonly ImmutableArray<string> Kinds = ["thanks", "hear", "metoo", "heart"];

    /// <summary>The kind a reflection in one's own words is stored as.</summary>
    public const string Reflection = "text";

    /// <summary>The same gentle question a shared item asks when a reflection sounds like advice.</summary>
    public const string AdviceQuestion = "This sounds a little like advice. Would you like to reflect what you heard instead? Being heard is often what helps most.";

    public static bool IsFixed(string? kind) => kind is not null && Kinds.Contains(kind);

    /// <summary>A reflection whose opening reads like advice (the shared items' check).</summary>
    public static bool LooksLikeAdvice(string reflection) => WitnessCheck.LooksLikeAdvice(reflection);

    /// <summary>Whether the reflection must be asked about before it goes: it reads like advice and the writer hasn't said to send it anyway.</summary>
    public static bool MustAsk(bool adviceLike, bool? sendAnyway) => adviceLike && sendAnyway != true;

    public enum Change { Add, Remove, Replace }

    /// <summary>What one more reply of <paramref name="kind"/> does, given whether this person already left one of that kind on the post.</summary>
    public static Change ChangeFor(string kind, bool exists) => kind == Reflection ? (exists ? Change.Replace : Change.Add) : (exists ? Change.Remove : Change.Add);
}
