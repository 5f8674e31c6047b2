using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Telemetry;

/// <summary>What the request metrics count: client requests once, attempts to pods each, OneHop's own answers too.</summary>
public sealed class MetricsTests
{
    private const string Requests = "http_server_request_duration_seconds_count";
    private const string Attempts = "http_client_request_duration_seconds_count";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_retried_get_counts_once_as_a_client_request_and_twice_as_attempts()
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        // Round robin, not the default p2c: p2c breaks the tie between two idle pods at random, so four requests all
        // went to web-0 first one run in sixteen and nothing was retried.
        var noEjection = new Dictionary<string, string> { ["outlier-consecutive-failures"] = "0", ["load-balance"] = "round-robin" };
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, noEjection, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web") },
            Cancel);
        await pods.StopAsync("web-1");

        // Round robin sends one of any two requests to the stopped pod first: its connect fails and it is retried on web-0.
        var retried = false;
        for (var i = 0; i < 4 && !retried; i++)
        {
            var before = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
            var (status, pod, _) = await onehop.GetAsync("/", Cancel);
            Assert.Equal((200, "web-0"), (status, pod));
            // ASP.NET Core records the request when it ends on the server, which may come a moment after the client has
            // the answer (a full suite once scraped first): wait for it, bounded.
            var after = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
            for (var wait = 0; wait < 40 && Delta(before, after, Requests, ("service", "default/web:80"), ("http_request_method", "GET")) == 0; wait++)
            {
                await Task.Delay(50, Cancel);
                after = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
            }

            var retries = Delta(before, after, "onehop_http_retries_total", ("service", "default/web:80"), ("reason", "connect"));
            Assert.Equal(1, Delta(before, after, Requests, ("service", "default/web:80"), ("http_request_method", "GET"), ("http_response_status_code", "200"), ("route", "Ingress/site"), ("namespace", "default"), ("http_route", "/")));
            Assert.Equal(1 + retries, Delta(before, after, Attempts, ("service", "default/web:80"), ("http_request_method", "GET")));
            if (retries == 1)
            {
                retried = true;
                Assert.Equal(1, Delta(before, after, Attempts, ("pod", "web-1"), ("error_type", "connect_refused")));
                Assert.Equal(1, Delta(before, after, Attempts, ("pod", "web-0"), ("http_response_status_code", "200")));
            }
        }

        Assert.True(retried, "no request was retried");
    }

    [Fact]
    public async Task Answers_onehop_gives_itself_are_client_requests_with_their_status()
    {
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("empty", 8080) + Ingress("site", ("shop.example.com", "/", "Prefix", "empty")) },
            Cancel);

        Assert.Equal(404, (await onehop.GetAsync("/", Cancel, host: "nothing.example.com")).Status);
        Assert.Equal(503, (await onehop.GetAsync("/cart", Cancel, host: "shop.example.com")).Status);

        var metrics = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
        var noRoute = Assert.Single(metrics.Series(Requests, ("http_response_status_code", "404")));
        Assert.Equal(1, noRoute.Value);
        Assert.Equal("GET", noRoute.Labels["http_request_method"]);
        Assert.False(noRoute.Labels.ContainsKey("route"), "a request that matched no route has no route label");
        Assert.Equal(1, metrics.Sum(Requests, ("http_response_status_code", "503"), ("service", "default/empty:80"), ("route", "Ingress/site"), ("http_route", "shop.example.com/"), ("http_request_method", "GET")));
        Assert.Equal(1, metrics.Sum("onehop_http_no_route_total"));
        Assert.Equal(1, metrics.Sum("onehop_http_no_endpoints_total", ("service", "default/empty:80")));
        Assert.Equal(0, metrics.Sum(Attempts));
    }

    [Fact]
    public async Task A_pod_that_left_loses_its_attempt_series_after_the_retention_and_the_others_restart_from_zero()
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        string Manifest(params string[] live) =>
            DefaultClass + Service("web", pods.Port, [.. live.Select(p => Endpoint.Ready(pods[p]))]) + Ingress("site", "/", "web");
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = Manifest("web-0", "web-1") },
            Cancel,
            configure: o => o with { PodSeriesRetention = TimeSpan.Zero });
        // Until both pods have answered: p2c draws among idle pods at random, so a fixed count could miss one.
        var sent = 0;
        var answered = new HashSet<string?>();
        while (answered.Count < 2 && sent < 100)
        {
            var (status, pod, _) = await onehop.GetAsync("/", Cancel);
            Assert.Equal(200, status);
            answered.Add(pod);
            sent++;
        }

        var both = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
        Assert.True(both.Sum(Attempts, ("pod", "web-1")) > 0);

        await onehop.WriteManifestAsync("all.yaml", Manifest("web-0"), Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => !(await onehop.Admin.GetStringAsync("/api/routes", Cancel)).Contains("web-1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "web-1 leaves the routing", Cancel);

        // The scrape that finds web-1 gone still reports the last values; the next one has no series of web-1.
        var last = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
        Assert.Equal(both.Sum(Attempts, ("pod", "web-1")), last.Sum(Attempts, ("pod", "web-1")));
        Assert.Equal(200, (await onehop.GetAsync("/", Cancel)).Status);
        var pruned = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
        Assert.Empty(pruned.Series(Attempts, ("pod", "web-1")));
        Assert.Equal(1, pruned.Sum(Attempts, ("pod", "web-0")));
        Assert.Equal(sent + 1, pruned.Sum(Requests, ("service", "default/web:80")));
    }

    [Fact]
    public async Task Requests_kestrel_refuses_before_routing_count_as_connections_with_their_error_type()
    {
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["all.yaml"] = DefaultClass }, Cancel);
        var address = onehop.Proxy.BaseAddress!;
        async Task<string> SendAsync(string head)
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(address.Host, address.Port, Cancel);
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), Cancel);
            using var reader = new StreamReader(stream);
            return await reader.ReadLineAsync(Cancel) ?? string.Empty;
        }

        Assert.StartsWith("HTTP/1.1 431", await SendAsync("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 70_000) + "\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400", await SendAsync("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), StringComparison.Ordinal);

        // No request reached OneHop's pipeline, so the request histogram has nothing; the connection's end says why.
        await OneHopInstance.EventuallyAsync(
            async () => (await MetricsText.ScrapeAsync(onehop.Admin, Cancel)).Sum("kestrel_connection_duration_seconds_count", ("error_type", "invalid_request_headers")) == 1,
            TimeSpan.FromSeconds(10), "the refused connections are counted", Cancel);
        var metrics = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
        Assert.Equal(1, metrics.Sum("kestrel_connection_duration_seconds_count", ("error_type", "max_request_headers_total_size_exceeded")));
        Assert.Equal(0, metrics.Sum(Requests));
    }

    [Theory]
    [InlineData(false, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData(true, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n")]
    public async Task Body_bytes_each_way_are_counted_per_pod_without_framing(bool chunkedRequest, string answer)
    {
        await using var pod = RawPod.Start(PodAnswer.Raw(answer, PodThen.KeepAlive));
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["app.yaml"] = pod.Manifests("app") }, Cancel);
        var body = new byte[1000];
        Array.Fill(body, (byte)'x');

        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = chunkedRequest ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body) };
            request.Headers.Host = "app";
            request.Headers.TransferEncodingChunked = chunkedRequest;
            using var response = await onehop.Proxy.SendAsync(request, Cancel);
            Assert.Equal("hello", await response.Content.ReadAsStringAsync(Cancel));
        }

        var metrics = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
        Assert.Equal(2000, metrics.Sum("onehop_http_sent_bytes_total", ("service", "default/app:80"), ("pod", "app-0"), ("namespace", "default")));
        Assert.Equal(10, metrics.Sum("onehop_http_received_bytes_total", ("service", "default/app:80"), ("pod", "app-0")));
    }

    private static double Delta(MetricsText before, MetricsText after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);
}
