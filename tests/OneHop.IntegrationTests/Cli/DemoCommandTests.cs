using System.Text;
using System.Text.RegularExpressions;
using OneHop.Cli;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Cli;

/// <summary>The README's first command: the demo starts pods, writes manifests, and routes to them.</summary>
public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task The_demo_serves_web_api_and_legacy_pods_and_reacts_to_edits()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(TimeSpan.FromSeconds(60));
        var dir = Directory.CreateTempSubdirectory("onehop-demo-test-").FullName;
        var output = new LockedWriter();
        var demo = OneHopCli.Create()
            .Parse(["demo", "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--dir", dir, "--log-level", "Warning"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, stop.Token);
        try
        {
            await OneHopInstance.EventuallyAsync(() => Task.FromResult(output.Text.Contains("OneHop is ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the demo to be ready", stop.Token);
            using var client = new HttpClient { BaseAddress = new Uri(Listening().Match(output.Text).Groups[1].Value) };
            TheTourIsTheReadmes(output.Text);

            var web = new HashSet<string>();
            for (var i = 0; i < 30; i++)
            {
                web.Add((await client.GetStringAsync("/", stop.Token)).Split(' ')[3]);
            }

            Assert.Equal(["web-1", "web-2", "web-3"], web.Order());
            Assert.StartsWith("Hello from pod api-", await client.GetStringAsync("/api/hello", stop.Token), StringComparison.Ordinal);
            Assert.StartsWith("Hello from pod legacy-1", await client.GetStringAsync("/legacy/", stop.Token), StringComparison.Ordinal);

            // The tour's suggestion: mark web-2 not ready and watch it leave the rotation.
            var manifest = Path.Combine(dir, "manifests", "web.yaml");
            var text = await File.ReadAllTextAsync(manifest, stop.Token);
            var at = text.IndexOf("name: web-2", StringComparison.Ordinal);
            var ready = text.LastIndexOf("ready: true", at, StringComparison.Ordinal);
            await File.WriteAllTextAsync(manifest, string.Concat(text.AsSpan(0, ready), "ready: false", text.AsSpan(ready + "ready: true".Length)), stop.Token);
            await OneHopInstance.EventuallyAsync(
                async () =>
                {
                    var seen = new HashSet<string>();
                    for (var i = 0; i < 12; i++)
                    {
                        seen.Add((await client.GetStringAsync("/", stop.Token)).Split(' ')[3]);
                    }

                    return !seen.Contains("web-2");
                },
                TimeSpan.FromSeconds(10),
                "web-2 to leave the rotation",
                stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await demo);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The README's quick start prints the demo's own tour (with the default ports), and its loop keeps running while
    /// the reader edits a file, until Ctrl+C: a loop that ends after a few requests cannot show a pod leave.
    /// </summary>
    private static void TheTourIsTheReadmes(string tour)
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var block = readme.SkipWhile(l => !l.EndsWith("It prints what to try:", StringComparison.Ordinal)).SkipWhile(l => l != "```sh").Skip(1).TakeWhile(l => l != "```").ToList();
        var commands = block.Select(l => AnyPort().Replace(l.Split("   #", 2)[0].Trim(), "127.0.0.1:PORT")).ToList();
        var printed = AnyPort().Replace(tour, "127.0.0.1:PORT");

        Assert.NotEmpty(commands);
        Assert.All(commands, c => Assert.Contains(c, printed, StringComparison.Ordinal));
        var loop = Assert.Single(block, c => c.Contains("; do ", StringComparison.Ordinal));
        Assert.StartsWith("while ", loop, StringComparison.Ordinal);
        Assert.Contains("until Ctrl+C", loop, StringComparison.Ordinal);
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));

    [GeneratedRegex(@"127\.0\.0\.1:\d+")]
    private static partial Regex AnyPort();

    [GeneratedRegex(@"OneHop is listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    private sealed class LockedWriter : StringWriter
    {
        private readonly Lock _lock = new();

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return ToString();
                }
            }
        }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lock)
            {
                base.WriteLine(value);
            }
        }
    }
}
