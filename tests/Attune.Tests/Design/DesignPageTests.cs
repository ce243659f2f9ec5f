using System.Net;
using Attune.Tests.Support;

namespace Attune.Tests.Design;

/// <summary>
/// The component page is a tool for whoever works on Attune: it exists in Development and nowhere
/// else, so in Production (the tests' own environment) or any other it is a path like one never
/// mapped: 404 to a person signed in, the sign-in page to anyone else.
/// </summary>
public sealed class DesignPageTests
{
    private sealed class App(string environment) : AttuneApp
    {
        protected override string EnvironmentName => environment;
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public Task OutsideDevelopment_TheDesignPage_IsNotThere(string environment) => WithAppAsync(environment, async app =>
    {
        // Signed out, it answers as a path that was never mapped does: the sign-in page, which says nothing of it.
        using var anonymous = app.CreateClient();
        var design = await anonymous.GetAsync("/design");
        var never = await anonymous.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.Redirect, never.StatusCode);
        Assert.Equal(never.StatusCode, design.StatusCode);
        Assert.Equal(never.Headers.Location?.AbsolutePath, design.Headers.Location?.AbsolutePath);

        var person = await app.RegisterAsync("Rowan");
        using var pages = await app.SignInPagesAsync(person.Email);
        await Expect.StatusAsync(await pages.Http.GetAsync("/design"), HttpStatusCode.NotFound);
    });

    [Fact]
    public Task InDevelopment_TheDesignPage_ShowsEveryComponent_InALightAndADarkSection() => WithAppAsync("Development", async app =>
    {
        using var anonymous = app.CreateClient();
        var body = await Expect.StatusAsync(await anonymous.GetAsync("/design"), HttpStatusCode.OK);

        Assert.Contains("<section class=\"design-theme\" data-theme=\"light\"", body, StringComparison.Ordinal);
        Assert.Contains("<section class=\"design-theme\" data-theme=\"dark\"", body, StringComparison.Ordinal);
        foreach (var component in new[] { "class=\"chips\"", "class=\"chip-choice\"", "class=\"card important\"", "class=\"status\"", "class=\"notice\"",
                     "class=\"form-errors\"", "class=\"empty-state\"", "class=\"avatar ", "class=\"suds-scale\"", "class=\"field-error\"", "class=\"chart\"", "<table>", "class=\"icon-specimens\"", "#journal\"></use>" })
            Assert.True(Count(body, component) >= 2, $"Expected {component} in both themes:\n{body}");
    });

    private static async Task WithAppAsync(string environment, Func<App, Task> test)
    {
        var app = new App(environment);
        await app.InitializeAsync();
        try { await test(app); }
        finally { await ((IAsyncLifetime)app).DisposeAsync(); }
    }

    private static int Count(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
