using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Admin;

/// <summary>The dashboard in a real browser (Debian's chromium), following a rolling update live from the event stream.</summary>
public sealed partial class DashboardBrowserTests
{
    private static readonly Dictionary<string, string> Outlier = new()
    {
        ["outlier-consecutive-failures"] = "2",
        ["outlier-base-ejection-time"] = "60s",
        ["outlier-max-ejection-percent"] = "50",
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rolling_update_an_ejected_pod_and_a_broken_manifest_show_live_without_a_reload()
    {
        var (playwright, browser) = await SystemChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var pods = await TestPods.StartAsync("web", 3, Cancel);
        string Web(params Endpoint[] endpoints) => AnnotatedService("web", pods.Port, Outlier, endpoints);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["class.yaml"] = DefaultClass + Ingress("site", ("www.example.com", "/", "Prefix", "web")),
                ["web.yaml"] = Web(Endpoint.Ready(pods["web-0"]), Endpoint.Ready(pods["web-1"])),
            },
            Cancel);

        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;
        var expect = new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 };
        var visible = new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 };

        var response = await page.GotoAsync(onehop.Server.AdminUrl + "/");
        Assert.NotNull(response);
        Assert.Contains("default-src 'none'", await response.HeaderValueAsync("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#live")).ToHaveAttributeAsync("data-live", "true", expect);
        await Assertions.Expect(Pod(page, "web-0")).ToHaveAttributeAsync("data-state", "ready", expect);
        await Assertions.Expect(Pod(page, "web-1")).ToHaveAttributeAsync("data-state", "ready", expect);
        await Assertions.Expect(page.Locator("[data-route] >> text=www.example.com")).ToBeVisibleAsync(visible);
        await Assertions.Expect(page.Locator("[data-listener]")).ToHaveCountAsync(1);

        // Rolling update: a new pod appears, an old one turns terminating, then leaves.
        await onehop.WriteManifestAsync("web.yaml", Web(Endpoint.Ready(pods["web-0"]), Endpoint.Ready(pods["web-1"]), Endpoint.Ready(pods["web-2"])), Cancel);
        await Assertions.Expect(Pod(page, "web-2")).ToHaveAttributeAsync("data-state", "ready", expect);

        await onehop.WriteManifestAsync("web.yaml", Web(Endpoint.Terminating(pods["web-0"]), Endpoint.Ready(pods["web-1"]), Endpoint.Ready(pods["web-2"])), Cancel);
        await Assertions.Expect(Pod(page, "web-0")).ToHaveAttributeAsync("data-state", "terminating", expect);
        await Assertions.Expect(Pod(page, "web-0")).ToHaveAttributeAsync("data-in-use", "false", expect);
        await Assertions.Expect(Pod(page, "web-0").Locator("[data-badge=state]")).ToHaveTextAsync("terminating");

        await onehop.WriteManifestAsync("web.yaml", Web(Endpoint.Ready(pods["web-1"]), Endpoint.Ready(pods["web-2"])), Cancel);
        await Assertions.Expect(Pod(page, "web-0")).ToHaveCountAsync(0, new() { Timeout = 15_000 });

        // A pod that crashed refuses connections: passive health ejects it, and the requests are retried elsewhere.
        await pods.CrashAsync("web-1");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await onehop.GetAsync("/", Cancel, host: "www.example.com")).Status);
        }

        await Assertions.Expect(Pod(page, "web-1")).ToHaveAttributeAsync("data-state", "ejected", expect);
        await Assertions.Expect(Pod(page, "web-1")).ToHaveClassAsync(new Regex(@"\bejected\b"));
        await Assertions.Expect(Pod(page, "web-2").Locator(".stats")).Not.ToContainTextAsync(" 0.0 req/s", new() { Timeout = 15_000 });

        // A broken manifest: its error shows, and routing stays as it was.
        await onehop.WriteManifestAsync("broken.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: [unclosed\n", Cancel);
        var problem = page.Locator("[data-problem=config]").Filter(new() { HasText = "broken.yaml" });
        await Assertions.Expect(problem).ToBeVisibleAsync(visible);
        await Assertions.Expect(Pod(page, "web-2")).ToHaveAttributeAsync("data-state", "ready", expect);
        Assert.Equal(200, (await onehop.GetAsync("/", Cancel, host: "www.example.com")).Status);

        await page.ScreenshotAsync(new() { Path = SystemChromium.Artifact("dashboard-rolling-update.png"), FullPage = true });
        Assert.Equal(1, navigations);
        Assert.Empty(errors);

        // Light and dark follow the browser's preference.
        const string Background = "() => getComputedStyle(document.body).backgroundColor";
        var light = await page.EvaluateAsync<string>(Background);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        var dark = await page.EvaluateAsync<string>(Background);
        Assert.Equal("rgb(246, 247, 249)", light);
        Assert.Equal("rgb(13, 17, 23)", dark);
        await page.ScreenshotAsync(new() { Path = SystemChromium.Artifact("dashboard-dark.png"), FullPage = true });

        // Readable on a phone: nothing wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a phone's screen");
        await page.ScreenshotAsync(new() { Path = SystemChromium.Artifact("dashboard-phone.png"), FullPage = true });
    }

    /// <summary>The README's screenshot (<c>docs/img/dashboard.png</c>) is this test's <c>dashboard-demo.png</c>.</summary>
    [Fact]
    public async Task The_demo_shows_its_pods_by_zone_and_node_with_their_load()
    {
        var (playwright, browser) = await SystemChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        stop.CancelAfter(TimeSpan.FromSeconds(90));
        var dir = Directory.CreateTempSubdirectory("onehop-dashboard-demo-").FullName;
        var text = new StringWriter();
        var output = TextWriter.Synchronized(text);
        string Printed()
        {
            // The synchronized writer writes under a lock on itself.
            lock (output)
            {
                return text.ToString();
            }
        }

        var demo = OneHop.Cli.OneHopCli.Create()
            .Parse(["demo", "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--dir", dir, "--log-level", "Warning"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, stop.Token);
        try
        {
            Match? ready = null;
            await OneHopInstance.EventuallyAsync(
                () => Task.FromResult((ready = Ready().Match(Printed())).Success && Printed().Contains("OneHop is ready", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30),
                "the demo to be ready",
                stop.Token);
            using var client = new HttpClient { BaseAddress = new Uri(ready!.Groups[1].Value) };
            var traffic = Task.Run(
                async () =>
                {
                    try
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            await client.GetStringAsync("/", stop.Token);
                            await client.GetStringAsync("/api/hello", stop.Token);
                            await client.GetStringAsync("/legacy/", stop.Token);
                            await Task.Delay(20, stop.Token);
                        }
                    }
                    catch (Exception e) when (e is OperationCanceledException or HttpRequestException && stop.IsCancellationRequested)
                    {
                        // The test is over.
                    }
                },
                CancellationToken.None);

            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
            await page.GotoAsync(ready.Groups[2].Value + "/");
            foreach (var name in new[] { "web-1", "web-2", "web-3", "api-1", "api-2" })
            {
                await Assertions.Expect(Pod(page, name)).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 15_000 });
            }

            // The server outside Kubernetes has no pod name: it shows as its address.
            var legacy = page.Locator("[data-service='upstream/legacy'] [data-pod]");
            await Assertions.Expect(legacy).ToHaveAttributeAsync("data-state", "ready");

            await Assertions.Expect(page.Locator("[data-service='demo/web:80'] [data-zone='zone-a'] [data-node='node-1'] [data-pod='web-1']")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-service='demo/web:80'] [data-zone]")).ToHaveCountAsync(3);
            Assert.False(traffic.IsCompleted, traffic.Exception?.ToString() ?? "the traffic stopped");

            // Each Service shows load on the pods balancing chose (p2c may favour the fastest of a Service's pods).
            foreach (var service in new[] { "demo/web:80", "demo/api:80", "upstream/legacy" })
            {
                var busy = page.Locator($"[data-service='{service}'] .stats").Filter(new() { HasNotTextRegex = new Regex(@"^0\.0 req/s") });
                await Assertions.Expect(busy.First).ToBeVisibleAsync(new() { Timeout = 15_000 });
            }

            await page.ScreenshotAsync(new() { Path = SystemChromium.Artifact("dashboard-demo.png"), FullPage = true });
            await stop.CancelAsync();
            await traffic;
        }
        finally
        {
            await stop.CancelAsync();
            await demo;
            text.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_tcp_listener_shows_its_route_and_its_pods_open_connections()
    {
        var (playwright, browser) = await SystemChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var edge = await Proxy.Tcp.TcpEchoEdge.StartAsync(Cancel);
        var onehop = edge.OneHop;

        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(onehop.Server.AdminUrl + "/");

        var route = page.Locator("[data-route][data-protocol=tcp]");
        await Assertions.Expect(route).ToContainTextAsync("tcp · echo", new() { Timeout = 15_000 });
        await Assertions.Expect(route).ToContainTextAsync("tcp/default/echo:80");
        await Assertions.Expect(page.Locator("[data-service='tcp/default/echo:80'] [data-pod='echo-0'] .stats")).ToContainTextAsync("1 open connection ·");
        edge.Client.Dispose();
        await Assertions.Expect(page.Locator("[data-service='tcp/default/echo:80'] [data-pod='echo-0'] .stats")).ToContainTextAsync("0 open connections", new() { Timeout = 15_000 });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_capped_service_shows_its_cap_and_the_requests_waiting_for_it()
    {
        var (playwright, browser) = await SystemChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        pods["web-0"].Behavior.Delay = TimeSpan.FromSeconds(4);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = Yaml.DefaultClass
                    + Yaml.AnnotatedService("web", pods.Port, new Dictionary<string, string> { ["concurrency-max-per-endpoint"] = "1" }, [.. pods.All.Select(Yaml.Endpoint.Ready)])
                    + Yaml.Ingress("site", "/", "web"),
            },
            Cancel);

        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(onehop.Server.AdminUrl + "/");
        var queue = page.Locator("[data-service='default/web:80'] .queue");
        await Assertions.Expect(queue).ToHaveTextAsync("at most 1 at once per pod · 0 queued", new() { Timeout = 15_000 });

        // One request on the pod, two waiting for it.
        var requests = Enumerable.Range(0, 3).Select(_ => onehop.Proxy.GetAsync("/", Cancel)).ToList();
        await Assertions.Expect(queue).ToHaveTextAsync("at most 1 at once per pod · 2 queued", new() { Timeout = 15_000 });
        await Assertions.Expect(queue).ToHaveClassAsync(new Regex("waiting"));

        foreach (var response in await Task.WhenAll(requests))
        {
            response.Dispose();
        }

        await Assertions.Expect(queue).ToHaveTextAsync("at most 1 at once per pod · 0 queued", new() { Timeout = 15_000 });
        Assert.Empty(errors);
    }

    [GeneratedRegex(@"OneHop is listening on (http://127\.0\.0\.1:\d+); admin API on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Ready();

    private static ILocator Pod(IPage page, string name) => page.Locator($"[data-pod='{name}']");
}
