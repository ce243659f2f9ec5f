using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// The app with no public address set (Development), so a passkey belongs to the address the
/// browser uses: http://localhost:{port}. (WebAuthn takes a domain, not 127.0.0.1, for a passkey.)
/// </summary>
public sealed class PasskeyBrowserFixture() : BrowserFixture(new BrowserApp(new Dictionary<string, string?> { ["Attune:PublicBaseUrl"] = "" }));

/// <summary>A passkey made, used and removed in Chromium, with its virtual authenticator standing in for a phone's screen lock.</summary>
public sealed class PasskeyTests(PasskeyBrowserFixture fixture) : IClassFixture<PasskeyBrowserFixture>
{
    [BrowserFact]
    public async Task AddAPasskey_SignOut_SignInWithItByKeyboard_NoPasswordTyped_ThenRemoveIt()
    {
        var person = await fixture.App.RegisterAsync("Kit");
        var context = await fixture.NewContextAsync(new() { BaseURL = fixture.App.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) });
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });

        await BrowserFixture.SignInAsync(page, person.Email, person.Password);
        await page.GotoAsync("/account/security");
        // No name yet: said beside the field, which is marked and focused; no passkey is asked for.
        var nameField = page.GetByLabel("Name this passkey");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(nameField).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(nameField).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#passkey-name-error")).ToHaveTextAsync("Please give this passkey a name first, such as the device it's on.");
        await nameField.FillAsync("Kit's laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Your passkey is added")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove the passkey Kit's laptop" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(page);

        // The same device again: it already holds Attune's passkey, and the page says so rather than "try again".
        await page.GetByLabel("Name this passkey").FillAsync("Kit's laptop again");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "already has a passkey" })).ToBeInViewportAsync();

        await page.GetByText("Account", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByText("You've signed out")).ToBeVisibleAsync();

        await page.GotoAsync("/account/sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Kit" })).ToBeVisibleAsync();

        await page.GotoAsync("/account/security");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove the passkey Kit's laptop" }).ClickAsync();
        await Assertions.Expect(page.GetByText("That passkey is removed")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("You haven't added a passkey yet.")).ToBeVisibleAsync();
        await context.CloseAsync();
    }
}
