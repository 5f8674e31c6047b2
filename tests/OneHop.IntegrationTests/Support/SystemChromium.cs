using Microsoft.Playwright;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// Debian's chromium driven by Playwright: the browser Playwright would download is not reachable from CI, so tests
/// launch the system one (installed by <c>.ci/run</c>). A test that needs it skips, saying why, only when it is absent.
/// </summary>
internal static class SystemChromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Path))
        {
            Assert.Skip($"{Path} is not installed (apt-get install chromium; .ci/run installs it): the dashboard needs a real browser to test");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            // Root (CI) cannot use chromium's sandbox; the page is OneHop's own, on loopback.
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Path, Headless = true, Args = ["--no-sandbox"] });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Where a test saves what a person should look at (screenshots): under the test's output folder.</summary>
    public static string Artifact(string name)
    {
        var directory = System.IO.Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(directory);
        return System.IO.Path.Combine(directory, name);
    }
}
