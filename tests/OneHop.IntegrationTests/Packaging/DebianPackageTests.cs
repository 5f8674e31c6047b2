using System.Diagnostics;
using System.Text.RegularExpressions;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Packaging;

/// <summary>
/// packaging/build-deb.sh end to end on the machine itself: build the .deb (a self-contained single-file publish),
/// <c>dpkg -i</c> it into the real system, check what it installed, run the installed <c>onehop validate</c> on the
/// installed config, start the installed binary as its own user on loopback, and <c>dpkg --purge</c> it. Needs root and
/// dpkg (CI runs as root on a throwaway machine); skipped with the reason otherwise.
/// </summary>
public sealed partial class DebianPackageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Builds_installs_validates_serves_and_purges()
    {
        Assert.SkipUnless(Environment.UserName == "root", "installs a package into the system: needs root (CI runs as root)");
        Assert.SkipUnless(ExternalTool.Exists("dpkg") && ExternalTool.Exists("dpkg-deb"), "dpkg and dpkg-deb are not installed (not a Debian-based system)");
        Assert.SkipWhen((await RunAsync("dpkg-query", ["-W", "onehop"])).Code == 0, "a onehop package is installed on this machine already; not touching it");

        var output = Directory.CreateTempSubdirectory("onehop-deb-");
        try
        {
            var build = await RunAsync(Path.Combine(RepositoryRoot.Path, "packaging", "build-deb.sh"), [output.FullName], TimeSpan.FromMinutes(10));
            Assert.True(build.Code == 0, $"build-deb.sh: {build.Error}");
            var deb = build.Output.Trim().Split('\n')[^1];
            Assert.True(File.Exists(deb), deb);

            var contents = (await RunAsync("dpkg-deb", ["--contents", deb])).Output;
            Assert.Contains("./usr/lib/onehop/onehop", contents, StringComparison.Ordinal);
            Assert.Contains("./usr/lib/systemd/system/onehop-routes.timer", contents, StringComparison.Ordinal);

            await InstallAsync(deb);
            Assert.Equal("onehop", (await RunAsync("id", ["-un", "onehop"])).Output.Trim());
            var key = await File.ReadAllBytesAsync("/etc/onehop/affinity.key", Cancel);
            Assert.Equal(32, key.Length);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode("/etc/onehop/affinity.key"));
            Assert.Contains("/etc/onehop/onehop.yaml", (await RunAsync("dpkg-query", ["-W", "-f=${Conffiles}", "onehop"])).Output, StringComparison.Ordinal);

            // Installing again (a reinstall, as an upgrade runs the same scripts) succeeds and keeps the host's key.
            await InstallAsync(deb);
            Assert.Equal(key, await File.ReadAllBytesAsync("/etc/onehop/affinity.key", Cancel));

            var validate = await RunAsync("/usr/bin/onehop", ["validate", "--config", "/etc/onehop/onehop.yaml"]);
            Assert.True(validate.Code == 0, $"onehop validate: {validate.Output} {validate.Error}");

            await ServesAsItsOwnUserAsync();
        }
        finally
        {
            await RunAsync("dpkg", ["--purge", "onehop"]);
            output.Delete(recursive: true);
        }

        Assert.False(File.Exists("/usr/bin/onehop"));
        Assert.False(Directory.Exists("/etc/onehop"), "purge leaves /etc/onehop behind");
    }

    /// <summary>The installed binary as the package's user, with the installed config and key, on loopback ports of its choosing.</summary>
    private static async Task ServesAsItsOwnUserAsync()
    {
        var start = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "-u", "onehop", "--", "/usr/bin/onehop", "run", "--config", "/etc/onehop/onehop.yaml", "--affinity-key-file", "/etc/onehop/affinity.key",
            "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--health", "127.0.0.1:0",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            string? health = null;
            while (health is null && await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                health = HealthLine().Match(line) is { Success: true } m ? m.Groups[1].Value : null;
            }

            if (health is null)
            {
                Assert.Fail($"onehop exited: {await process.StandardError.ReadToEndAsync(Cancel)}");
            }

            using var client = new HttpClient { BaseAddress = new Uri(health), Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal("ok\n", await client.GetStringAsync("/healthz", deadline.Token));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task InstallAsync(string deb)
    {
        var install = await RunAsync("dpkg", ["-i", deb], TimeSpan.FromMinutes(2));
        Assert.True(install.Code == 0, $"dpkg -i: {install.Output} {install.Error}");
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(string file, string[] args, TimeSpan? timeout = null) =>
        ExternalTool.RunAsync(file, args, null, Cancel, timeout ?? TimeSpan.FromSeconds(60));

    [GeneratedRegex(@"^Health endpoints \(/healthz, /readyz, /metrics\) on (http://\S+)$")]
    private static partial Regex HealthLine();
}
