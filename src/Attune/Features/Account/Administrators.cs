using Attune.Data;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Attune.Features.Account;

/// <summary>
/// Administrators verify therapists' licences and hide profiles; they never read anyone's personal
/// content, and never act on a person. Whoever runs Attune makes one with the <c>admin</c> command.
/// </summary>
public static class Administrators
{
    public const string Role = "admin";
    public const string Policy = "admin";

    /// <summary>The admin API policy: a bearer token of an account in the <see cref="Role"/>.</summary>
    internal static AuthorizationBuilder AddAdminPolicy(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(Policy, p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Role));

    /// <summary><c>admin grant EMAIL</c>: makes an existing account an administrator. Run once by whoever runs Attune.</summary>
    public static async Task<int> RunCommandAsync(IServiceProvider services, string[] args)
    {
        if (args.Length < 3 || args[1] != "grant" && args[1] != "revoke")
        {
            Console.Error.WriteLine("Usage: admin grant EMAIL | admin revoke EMAIL");
            return 2;
        }
        using var scope = services.CreateScope();
        await Data.DatabaseSetup.MigrateAsync(scope.ServiceProvider);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AttuneUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var user = await users.FindByEmailAsync(args[2]);
        if (user is null)
        {
            Console.Error.WriteLine("No account has that email address. The person needs to create an account first.");
            return 1;
        }
        if (!await roles.RoleExistsAsync(Role)) await roles.CreateAsync(new IdentityRole(Role));
        var result = args[1] == "grant"
            ? (await users.IsInRoleAsync(user, Role) ? IdentityResult.Success : await users.AddToRoleAsync(user, Role))
            : (await users.IsInRoleAsync(user, Role) ? await users.RemoveFromRoleAsync(user, Role) : IdentityResult.Success);
        if (!result.Succeeded)
        {
            Console.Error.WriteLine(string.Join("; ", result.Errors.Select(e => e.Description)));
            return 1;
        }
        await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(null, args[1] == "grant" ? "admin.granted" : "admin.revoked", "user", user.Id);
        Console.WriteLine(args[1] == "grant"
            ? $"{args[2]} is now an administrator. They can verify therapists' licences and hide profiles; they can't read anyone's personal content. They need to sign in again."
            : $"{args[2]} is no longer an administrator.");
        return 0;
    }
}
