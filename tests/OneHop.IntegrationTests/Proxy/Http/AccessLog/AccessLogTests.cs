using System.Net.Sockets;
using System.Text.Json;
using OneHop.Core.Telemetry.AccessLog;
using OneHop.IntegrationTests.Proxy.Tcp;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Http.AccessLog;

/// <summary>The access log of a real OneHop: each line parsed as JSON and read field by field.</summary>
public sealed class AccessLogTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_request_gets_one_line_with_its_route_pod_attempts_and_bytes()
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        pods["web-0"].Behavior.Status = 503;
        var service = AnnotatedService("web", pods.Port, new Dictionary<string, string> { ["outlier-consecutive-failures"] = "0" }, [.. pods.All.Select(p => Endpoint.Ready(p) with { Zone = "zone-a" })])
            .Replace("targetRef: {kind: Pod, name: web-1}", "targetRef: {kind: Pod, name: web-1}\n    nodeName: node-1", StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"onehop-access-{Guid.NewGuid():N}.log");
        try
        {
            await using (var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string> { ["all.yaml"] = DefaultClass + service + Ingress("site", ("www.example.com", "/", "Prefix", "web")) },
                Cancel,
                configure: o => o with { AccessLog = new AccessLogTarget(file) }))
            {
                // web-0 answers 503: a GET that tried it first was retried on web-1.
                for (var i = 0; i < 20; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/hello?x=1") { Headers = { Host = "www.example.com" } };
                    request.Headers.UserAgent.ParseAdd("access-log-test/1.0");
                    using var response = await onehop.Proxy.SendAsync(request, Cancel);
                    Assert.Equal(200, (int)response.StatusCode);
                }

                Assert.Equal(404, (await onehop.GetAsync("/nowhere", Cancel, host: "other.example.com")).Status);
                using (var upload = new HttpRequestMessage(HttpMethod.Post, "/upload") { Headers = { Host = "www.example.com" }, Content = new ByteArrayContent(new byte[1234]) })
                {
                    pods["web-0"].Behavior.Status = 200;
                    using var response = await onehop.Proxy.SendAsync(upload, Cancel);
                    Assert.Equal(200, (int)response.StatusCode);
                }

                var lines = await LinesAsync(file, 22);
                var gets = lines.Take(20).ToList();
                foreach (var get in gets)
                {
                    Assert.Equal("http", get.GetProperty("type").GetString());
                    Assert.Equal("127.0.0.1", get.GetProperty("client").GetString());
                    Assert.Equal("GET", get.GetProperty("method").GetString());
                    Assert.Equal("www.example.com", get.GetProperty("host").GetString());
                    Assert.Equal("/hello", get.GetProperty("path").GetString());
                    Assert.Equal("HTTP/1.1", get.GetProperty("protocol").GetString());
                    Assert.Equal(200, get.GetProperty("status").GetInt32());
                    Assert.Equal(0, get.GetProperty("bytes_in").GetInt64());
                    Assert.InRange(get.GetProperty("bytes_out").GetInt64(), 50, 1000);
                    Assert.InRange(get.GetProperty("duration").GetDouble(), 0, 10);
                    Assert.Equal("Ingress default/site spec.rules[0].http.paths[0]", get.GetProperty("route").GetString());
                    Assert.Equal("default/web:80", get.GetProperty("backend").GetString());
                    Assert.Equal("web-1", get.GetProperty("pod").GetString());
                    Assert.Equal(pods["web-1"].Endpoint, get.GetProperty("upstream").GetString());
                    Assert.Equal("node-1", get.GetProperty("node").GetString());
                    Assert.Equal("zone-a", get.GetProperty("zone").GetString());
                    Assert.Equal(200, get.GetProperty("upstream_status").GetInt32());
                    Assert.InRange(get.GetProperty("upstream_time").GetDouble(), 0, get.GetProperty("duration").GetDouble());
                    Assert.Equal("access-log-test/1.0", get.GetProperty("user_agent").GetString());
                    Assert.False(get.TryGetProperty("tls_version", out _));
                    Assert.False(get.TryGetProperty("error", out _));
                }

                Assert.Contains(gets, g => g.GetProperty("attempts").GetInt32() == 2);
                Assert.Contains(gets, g => g.GetProperty("attempts").GetInt32() == 1);

                var noRoute = lines[20];
                Assert.Equal(404, noRoute.GetProperty("status").GetInt32());
                Assert.Equal("no-route", noRoute.GetProperty("error").GetString());
                Assert.Equal("other.example.com", noRoute.GetProperty("host").GetString());
                Assert.False(noRoute.TryGetProperty("route", out _));
                Assert.False(noRoute.TryGetProperty("pod", out _));
                Assert.False(noRoute.TryGetProperty("attempts", out _));

                var post = lines[21];
                Assert.Equal("POST", post.GetProperty("method").GetString());
                Assert.Equal(1234, post.GetProperty("bytes_in").GetInt64());
                Assert.Equal(1, post.GetProperty("attempts").GetInt32());

                var status = (await onehop.StatusAsync(Cancel)).GetProperty("accessLog");
                Assert.Equal(file, status.GetProperty("target").GetString());
                Assert.Equal(22, status.GetProperty("written").GetInt64());
                Assert.Equal(0, status.GetProperty("dropped").GetInt64());
                Assert.Equal(0, status.GetProperty("failed").GetInt64());
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// ingress-nginx's enable-access-log: "false" keeps one Ingress's requests (health checks, say) out of the log; the
    /// controller ConfigMap's skip-access-log-urls keeps these request URIs of every Ingress out.
    /// </summary>
    [Fact]
    public async Task An_ingress_can_keep_its_requests_out_of_the_log()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var file = Path.Combine(Path.GetTempPath(), $"onehop-access-{Guid.NewGuid():N}.log");
        var map = new Core.State.ObjectKey("ingress-nginx", "ingress-nginx-controller");
        try
        {
            await using var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string>
                {
                    ["all.yaml"] = DefaultClass + Service("web", pods.Port, [.. pods.All.Select(Endpoint.Ready)])
                        + NginxIngress("site", "www.example.com", "web")
                        + NginxIngress("probes", "www.example.com", "web", "/healthz", annotations: "enable-access-log: \"false\""),
                    ["controller.yaml"] = NginxControllerMap(map, "skip-access-log-urls: \"/ping, ~*^/METRICS\""),
                },
                Cancel,
                configure: o => o with { AccessLog = new AccessLogTarget(file), NginxConfigMap = map });
            foreach (var path in new[] { "/healthz", "/page", "/healthz/deep", "/ping", "/metrics/cpu", "/ping?x=1", "/other" })
            {
                Assert.Equal(200, (await onehop.GetAsync(path, Cancel, host: "www.example.com")).Status);
            }

            var lines = await LinesAsync(file, 3);
            Assert.Equal(["/page", "/ping", "/other"], lines.Select(l => l.GetProperty("path").GetString()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_full_disk_loses_lines_but_never_a_request_and_says_so()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods.Port, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web") },
            Cancel,
            configure: o => o with { AccessLog = new AccessLogTarget("/dev/full") });
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(200, (await onehop.GetAsync("/", Cancel)).Status);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonElement status;
        do
        {
            status = (await onehop.StatusAsync(Cancel)).GetProperty("accessLog");
        }
        while (status.GetProperty("failed").GetInt64() < 10 && DateTime.UtcNow < deadline && await Delay());

        Assert.Equal(10, status.GetProperty("failed").GetInt64());
        Assert.Equal(0, status.GetProperty("written").GetInt64());
        Assert.Contains("space", status.GetProperty("lastError").GetString(), StringComparison.OrdinalIgnoreCase);
        var metrics = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        Assert.Contains("onehop_access_log_failed_total{} 10", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tcp_connection_gets_one_line_when_it_closes()
    {
        await using var pod = TcpEchoPod.Start("echo-0");
        var file = Path.Combine(Path.GetTempPath(), $"onehop-access-{Guid.NewGuid():N}.log");
        try
        {
            await using var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string> { ["echo.yaml"] = Service("echo", pod.Port, pod.Ready()) },
                Cancel,
                L4Configs.Echo,
                configure: o => o with { AccessLog = new AccessLogTarget(file) });
            using (var client = await TcpClientHelpers.ConnectAsync(onehop.Server.L4.EndPoints["echo"], Cancel))
            {
                Assert.Equal("hello\n", await client.EchoAsync("hello\n", Cancel));
                client.Shutdown(SocketShutdown.Send);
                Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(5), Cancel));
            }

            var line = (await LinesAsync(file, 1)).Single();
            Assert.Equal("tcp", line.GetProperty("type").GetString());
            Assert.Equal("127.0.0.1", line.GetProperty("client").GetString());
            Assert.Equal("echo", line.GetProperty("listener").GetString());
            Assert.Equal("tcp/default/echo:80", line.GetProperty("backend").GetString());
            Assert.Equal("echo-0", line.GetProperty("pod").GetString());
            Assert.Equal(6, line.GetProperty("bytes_in").GetInt64());
            Assert.Equal(6, line.GetProperty("bytes_out").GetInt64());
            Assert.Equal("closed", line.GetProperty("close").GetString());
            Assert.InRange(line.GetProperty("duration").GetDouble(), 0, 10);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Sigusr1_reopens_the_file_after_logrotate_moved_it()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var directory = Directory.CreateTempSubdirectory("onehop-access-");
        try
        {
            var manifests = Path.Combine(directory.FullName, "manifests");
            Directory.CreateDirectory(manifests);
            await File.WriteAllTextAsync(Path.Combine(manifests, "all.yaml"), DefaultClass + Service("web", pods.Port, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web"), Cancel);
            var file = Path.Combine(directory.FullName, "access.log");
            await using var onehop = await OneHopProcess.StartAsync(manifests, null, Cancel, ["--access-log", file, "--access-log-format", "text"]);
            using var client = new HttpClient { BaseAddress = onehop.Proxy };

            (await client.GetAsync("/before", Cancel)).EnsureSuccessStatusCode();
            await WaitForTextAsync(file, "path=/before");
            File.Move(file, file + ".1");
            using (var kill = System.Diagnostics.Process.Start("kill", ["-USR1", onehop.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(Cancel);
                Assert.Equal(0, kill.ExitCode);
            }

            // The signal is handled asynchronously: requests until one lands in the new file (none is lost on the way).
            var sent = 0;
            while (!File.Exists(file) && sent < 100)
            {
                (await client.GetAsync($"/after-{sent++}", Cancel)).EnsureSuccessStatusCode();
                await Task.Delay(50, Cancel);
            }

            Assert.True(File.Exists(file), "the file was not reopened after SIGUSR1");
            await WaitForTextAsync(file, "path=/after-");
            var all = (await File.ReadAllTextAsync(file + ".1", Cancel)) + await File.ReadAllTextAsync(file, Cancel);
            Assert.All(Enumerable.Range(0, sent), i => Assert.Contains($"path=/after-{i} ", all, StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task WaitForTextAsync(string file, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(File.Exists(file) && (await File.ReadAllTextAsync(file, Cancel)).Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{file} never held {text}");
            await Task.Delay(20, Cancel);
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50, Cancel);
        return true;
    }

    /// <summary>Waits until the file holds <paramref name="count"/> lines (the writer is asynchronous), then parses each.</summary>
    internal static async Task<List<JsonElement>> LinesAsync(string file, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string[] lines = [];
        while (DateTime.UtcNow < deadline)
        {
            lines = File.Exists(file) ? await File.ReadAllLinesAsync(file, Cancel) : [];
            if (lines.Length >= count)
            {
                break;
            }

            await Task.Delay(20, Cancel);
        }

        Assert.Equal(count, lines.Length);
        return [.. lines.Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}
