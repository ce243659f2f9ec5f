namespace Attune.Features.Account;

public sealed record MeDto(string Id, string Email, string DisplayName, string TimeZone, string? Country);
public sealed record MePatch(string? DisplayName, string? TimeZone, string? Country);
