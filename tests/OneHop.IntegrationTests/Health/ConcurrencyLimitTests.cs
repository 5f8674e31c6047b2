using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using OneHop.Core.Demo;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Telemetry.AccessLog;
using OneHop.IntegrationTests.Proxy.Http.AccessLog;
using OneHop.IntegrationTests.Proxy.Tcp;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Health;

/// <summary>
/// <c>concurrency.maxPerEndpoint</c> through a real OneHop and real pods: no pod ever carries more than its cap, the
/// rest wait in the backend's queue and are served in turn, a full queue and a queue timeout are 503 with their cause,
/// and a TCP connection holds its slot for as long as it is open.
/// </summary>
public sealed class ConcurrencyLimitTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task No_pod_carries_more_than_its_cap_and_the_rest_wait_their_turn(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        foreach (var pod in pods.All)
        {
            pod.Behavior.Delay = TimeSpan.FromMilliseconds(1500);
        }

        await using var onehop = await StartAsync(pods, forwarder, ("concurrency-max-per-endpoint", "2"));

        // 12 requests, 4 slots: three rounds of 1.5 s, every request answered by a pod.
        var clock = Stopwatch.StartNew();
        var requests = Enumerable.Range(0, 12).Select(_ => onehop.GetAsync("/", Cancel)).ToList();
        await OneHopInstance.EventuallyAsync(async () => await WaitingAsync(onehop) == 8, TimeSpan.FromSeconds(5), "eight requests to wait in the queue", Cancel);
        var service = await ServiceAsync(onehop);
        Assert.Equal(2, service.GetProperty("maxPerEndpoint").GetInt32());
        Assert.InRange(service.GetProperty("queued").GetInt32(), 4, 8); // the first round may have ended meanwhile
        var answers = await Task.WhenAll(requests);

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(pods.All, p => Assert.Equal(2, p.PeakInFlight));
        Assert.Equal(12, pods.All.Sum(p => p.Requests));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4.4), $"12 requests through 4 slots of 1.5 s took {clock.Elapsed}");
        Assert.Equal(0, await WaitingAsync(onehop));
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_full_queue_and_a_queue_timeout_answer_503_with_their_cause(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        pods["web-0"].Behavior.Delay = TimeSpan.FromSeconds(6);
        var log = Path.Combine(Path.GetTempPath(), $"onehop-queue-{Guid.NewGuid():N}.log");
        await using var onehop = await StartAsync(
            pods,
            forwarder,
            log,
            ("concurrency-max-per-endpoint", "1"),
            ("concurrency-queue-size", "1"),
            ("concurrency-queue-timeout", "2s"));

        var served = onehop.Proxy.GetAsync("/", Cancel);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(pods["web-0"].InFlight == 1), TimeSpan.FromSeconds(5), "the pod to carry one request", Cancel);

        var clock = Stopwatch.StartNew();
        var waiting = onehop.Proxy.GetAsync("/", Cancel);
        await OneHopInstance.EventuallyAsync(async () => await WaitingAsync(onehop) == 1, TimeSpan.FromSeconds(5), "one request to wait", Cancel);

        // The queue holds one: the next is refused at once.
        using (var full = await onehop.Proxy.GetAsync("/", Cancel))
        {
            Assert.Equal(503, (int)full.StatusCode);
            Assert.Equal(ErrorCodes.EndpointsFull, full.Headers.GetValues(ErrorCodes.Header).Single());
        }

        using (var late = await waiting)
        {
            Assert.Equal(503, (int)late.StatusCode);
            Assert.Equal(ErrorCodes.QueueTimeout, late.Headers.GetValues(ErrorCodes.Header).Single());
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"the queue timeout came after {clock.Elapsed}");
        }

        using (var first = await served)
        {
            Assert.Equal(200, (int)first.StatusCode);
        }

        Assert.Equal(1, pods["web-0"].Requests);
        var metrics = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        Assert.Contains("onehop_http_queue_refused_total{reason=\"full\",service=\"default/web:80\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("onehop_http_queue_refused_total{reason=\"timeout\",service=\"default/web:80\"} 1", metrics, StringComparison.Ordinal);

        // The access log says how long each waited: the one refused at once and the one served did not.
        var lines = await AccessLogTests.LinesAsync(log, 3);
        File.Delete(log);
        var timedOut = lines.Single(l => l.TryGetProperty("error", out var e) && e.GetString() == ErrorCodes.QueueTimeout);
        Assert.InRange(timedOut.GetProperty("queue_time").GetDouble(), 1.9, 10);
        Assert.All(lines.Where(l => l.GetProperty("status").GetInt32() == 200 || l.GetProperty("error").GetString() == ErrorCodes.EndpointsFull), l => Assert.False(l.TryGetProperty("queue_time", out _)));
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task Custom_http_errors_replaces_the_queue_s_503_as_it_does_OneHop_s_others(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        await using var errors = await TestPods.StartAsync("errors", 1, Cancel);
        pods["web-0"].Behavior.Delay = TimeSpan.FromSeconds(3);
        var capped = new Dictionary<string, string> { ["concurrency-max-per-endpoint"] = "1", ["concurrency-queue-size"] = "0" };
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, capped, [.. pods.All.Select(Endpoint.Ready)]) + Service("errors", errors)
                    + NginxIngress("site", "site.example.org", "web", "/", null, "custom-http-errors: \"503\"", "default-backend: errors"),
            },
            Cancel,
            configure: o => o with { Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean });

        var served = onehop.GetAsync("/", Cancel, host: "site.example.org");
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(pods["web-0"].InFlight == 1), TimeSpan.FromSeconds(5), "the pod to carry one request", Cancel);

        var (status, pod, _) = await onehop.GetAsync("/", Cancel, host: "site.example.org");
        Assert.Equal((200, "errors-0"), (status, pod));
        Assert.Equal((200, "web-0"), ((await served).Status, (await served).Pod));
        Assert.Equal(1, pods["web-0"].Requests);
        var metrics = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        Assert.Contains("onehop_http_queue_refused_total{reason=\"full\",service=\"default/web:80\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tcp_connection_holds_its_slot_while_open_and_the_next_waits_for_it()
    {
        await using var pod = TcpEchoPod.Start("echo-0");
        var service = AnnotatedService("echo", pod.Port, new Dictionary<string, string> { ["concurrency-max-per-endpoint"] = "1", ["concurrency-queue-timeout"] = "10s" }, pod.Ready());
        var log = Path.Combine(Path.GetTempPath(), $"onehop-tcp-queue-{Guid.NewGuid():N}.log");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = service }, Cancel, L4Configs.Echo, configure: o => o with { AccessLog = new AccessLogTarget(log) });
        var listener = onehop.Server.L4.EndPoints["echo"];

        using var first = await TcpClientHelpers.ConnectAsync(listener, Cancel);
        Assert.Equal("one\n", await first.EchoAsync("one\n", Cancel));

        // The second is accepted by OneHop but reaches the pod only when the first closes.
        using var second = await TcpClientHelpers.ConnectAsync(listener, Cancel);
        var echoed = second.EchoAsync("two\n", Cancel);
        await OneHopInstance.EventuallyAsync(async () => await WaitingAsync(onehop, "tcp/default/echo:80") == 1, TimeSpan.FromSeconds(5), "the second connection to wait", Cancel);
        await Task.Delay(500, Cancel); // held in the queue on purpose: its access log line must say so
        Assert.False(echoed.IsCompleted);
        Assert.Equal(1, pod.Connections);

        first.Shutdown(SocketShutdown.Both);
        first.Close();
        Assert.Equal("two\n", await echoed.WaitAsync(TimeSpan.FromSeconds(5), Cancel));
        Assert.Equal(2, pod.Connections);

        // Each connection's access log line, when it closes: the second says how long it waited.
        second.Shutdown(SocketShutdown.Both);
        second.Close();
        var lines = await AccessLogTests.LinesAsync(log, 2);
        File.Delete(log);
        Assert.Single(lines, l => !l.TryGetProperty("queue_time", out _));
        Assert.InRange(Assert.Single(lines, l => l.TryGetProperty("queue_time", out _)).GetProperty("queue_time").GetDouble(), 0.45, 10);
    }

    [Fact]
    public async Task A_tcp_client_that_hangs_up_while_queued_leaves_the_queue_at_once()
    {
        await using var pod = TcpEchoPod.Start("echo-0");
        var service = AnnotatedService("echo", pod.Port, new Dictionary<string, string> { ["concurrency-max-per-endpoint"] = "1", ["concurrency-queue-timeout"] = "30s" }, pod.Ready());
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = service }, Cancel, L4Configs.Echo);
        var listener = onehop.Server.L4.EndPoints["echo"];

        using var first = await TcpClientHelpers.ConnectAsync(listener, Cancel);
        Assert.Equal("one\n", await first.EchoAsync("one\n", Cancel));
        using (var gone = await TcpClientHelpers.ConnectAsync(listener, Cancel))
        {
            await OneHopInstance.EventuallyAsync(async () => await WaitingAsync(onehop, "tcp/default/echo:80") == 1, TimeSpan.FromSeconds(5), "a connection to wait", Cancel);
        }

        await OneHopInstance.EventuallyAsync(async () => await WaitingAsync(onehop, "tcp/default/echo:80") == 0, TimeSpan.FromSeconds(5), "the hung-up connection to leave the queue", Cancel);
        var metrics = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        Assert.Contains("onehop_l4_refused_total{listener=\"echo\",reason=\"client_gone\"} 1", metrics, StringComparison.Ordinal);

        // It never reached the pod: the next connection gets the slot when the first closes.
        first.Close();
        using var next = await TcpClientHelpers.ConnectAsync(listener, Cancel);
        Assert.Equal("two\n", await next.EchoAsync("two\n", Cancel).WaitAsync(TimeSpan.FromSeconds(5), Cancel));
        Assert.Equal(2, pod.Connections);
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_session_whose_pod_is_full_spills_and_its_cookie_follows_the_pod_that_served_it(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        foreach (var each in pods.All)
        {
            each.Behavior.Delay = TimeSpan.FromSeconds(1);
        }

        await using var onehop = await StartAsync(pods, forwarder, ("concurrency-max-per-endpoint", "1"), ("load-balance", "cookie"));

        // A session: its cookie names the pod that served it.
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = onehop.Proxy.BaseAddress };
        string cookie, pod;
        using (var first = await client.GetAsync("/", Cancel))
        {
            (cookie, pod) = (Cookie(first), first.Headers.GetValues(DemoPod.PodHeader).Single());
        }

        // One request of the session holds its pod's only slot; the next spills to the other pod, and its cookie follows.
        var holding = SendWithCookieAsync(client, cookie);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(pods[pod].InFlight == 1), TimeSpan.FromSeconds(5), "the session's pod to carry a request", Cancel);
        using var spilled = await SendWithCookieAsync(client, cookie);

        Assert.Equal(200, (int)spilled.StatusCode);
        Assert.NotEqual(pod, spilled.Headers.GetValues(DemoPod.PodHeader).Single());
        Assert.NotEqual(cookie, Cookie(spilled));
        using var held = await holding;
        Assert.Equal(pod, held.Headers.GetValues(DemoPod.PodHeader).Single());
        Assert.All(pods.All, p => Assert.Equal(1, p.PeakInFlight));
    }

    private static async Task<HttpResponseMessage> SendWithCookieAsync(HttpClient client, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", $"onehop-affinity={cookie}");
        return await client.SendAsync(request, Cancel);
    }

    private static string Cookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("onehop-affinity=", StringComparison.Ordinal))["onehop-affinity=".Length..];

    private static Task<OneHopInstance> StartAsync(TestPods pods, string forwarder, params (string Key, string Value)[] settings) =>
        StartAsync(pods, forwarder, null, settings);

    private static Task<OneHopInstance> StartAsync(TestPods pods, string forwarder, string? accessLog, params (string Key, string Value)[] settings) =>
        OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, settings.ToDictionary(s => s.Key, s => s.Value), [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web"),
            },
            Cancel,
            configure: o => o with
            {
                Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean,
                AccessLog = accessLog is null ? o.AccessLog : new AccessLogTarget(accessLog),
            });

    private static async Task<System.Text.Json.JsonElement> ServiceAsync(OneHopInstance onehop)
    {
        var topology = await onehop.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/topology", Cancel);
        return topology.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "default/web:80");
    }

    private static async Task<int> WaitingAsync(OneHopInstance onehop, string service = "default/web:80")
    {
        var metrics = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("onehop_queue_waiting{", StringComparison.Ordinal) && l.Contains($"service=\"{service}\"", StringComparison.Ordinal));
        return line is null ? 0 : int.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
