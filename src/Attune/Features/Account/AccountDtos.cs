namespace Attune.Features.Account;

public sealed record MeDto(string Id, string Email, string DisplayName, string TimeZone, string? Country, string Theme);

/// <summary>What to change; a field left out (null) stays as it is. <c>theme</c> is "system", "light" or "dark".</summary>
public sealed record MePatch(string? DisplayName, string? TimeZone, string? Country, string? Theme = null);
