using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneHop.IntegrationTests.Proxy.Tcp;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Admin;

/// <summary>The dashboard page's headers and the topology API and event stream, over plain HTTP (no browser needed).</summary>
public sealed class TopologyApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_page_is_self_contained_under_a_strict_policy_and_revalidated_by_etag()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods) + Ingress("site", "/", "web") },
            Cancel);

        using var response = await onehop.Admin.GetAsync("/", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Matches(@"script-src 'sha256-[A-Za-z0-9+/=]+';", policy);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());

        // No asset from anywhere else: it must work air-gapped.
        var html = await response.Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var revalidated = await onehop.Admin.SendAsync(again, Cancel);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task The_event_stream_carries_the_pods_of_each_new_snapshot()
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["class.yaml"] = DefaultClass + Ingress("site", "/", "web"),
                ["web.yaml"] = Service("web", pods.Port, Endpoint.Ready(pods["web-0"])),
            },
            Cancel);
        var topology = await onehop.Admin.GetFromJsonAsync<JsonElement>("/api/topology", Cancel);
        Assert.Equal(["web-0"], PodNames(topology));
        Assert.Equal("standalone", topology.GetProperty("role").GetString());
        var listener = topology.GetProperty("listeners").EnumerateArray().Single();
        Assert.Equal(new Uri(onehop.Server.HttpUrls[0]).Authority, listener.GetProperty("address").GetString()); // port 0 shows the port bound
        Assert.Equal("http", listener.GetProperty("protocol").GetString());

        using var response = await onehop.Admin.GetAsync("/api/topology/events", HttpCompletionOption.ResponseHeadersRead, Cancel);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));
        var first = await NextEventAsync(reader);
        Assert.Equal(["web-0"], PodNames(first));

        await onehop.WriteManifestAsync("web.yaml", Service("web", pods.Port, Endpoint.Ready(pods["web-0"]), Endpoint.Ready(pods["web-1"])), Cancel);
        var started = TimeProvider.System.GetTimestamp();
        JsonElement latest;
        do
        {
            latest = await NextEventAsync(reader);
        }
        while (PodNames(latest).Length < 2 && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10));

        Assert.Equal(["web-0", "web-1"], PodNames(latest));
        Assert.True(latest.GetProperty("version").GetInt64() > first.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_tcp_listener_shows_as_a_route_to_its_service_whose_pods_count_open_connections()
    {
        await using var edge = await TcpEchoEdge.StartAsync(Cancel);
        var onehop = edge.OneHop;

        var topology = await onehop.Admin.GetFromJsonAsync<JsonElement>("/api/topology", Cancel);

        var route = topology.GetProperty("routes").EnumerateArray().Single(r => r.TryGetProperty("listener", out var l) && l.GetString() == "echo");
        Assert.Equal("tcp", route.GetProperty("protocol").GetString());
        Assert.Equal("config", route.GetProperty("kind").GetString());
        var backend = route.GetProperty("backends").EnumerateArray().Single().GetProperty("id").GetString();
        var service = topology.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("id").GetString() == backend);
        Assert.Equal("tcp", service.GetProperty("protocol").GetString());
        var echo = service.GetProperty("zones").EnumerateArray().SelectMany(z => z.GetProperty("nodes").EnumerateArray()).SelectMany(n => n.GetProperty("pods").EnumerateArray()).Single();
        Assert.Equal("echo-0", echo.GetProperty("name").GetString());
        Assert.Equal(1, echo.GetProperty("inFlight").GetInt32()); // the connection still open

        edge.Client.Dispose();
        await OneHopInstance.EventuallyAsync(
            async () => await InFlightAsync(onehop, backend!) == 0, TimeSpan.FromSeconds(10), "the closed connection leaves the pod's count", Cancel);
    }

    private static async Task<int> InFlightAsync(OneHopInstance onehop, string service)
    {
        var topology = await onehop.Admin.GetFromJsonAsync<JsonElement>("/api/topology", Cancel);
        return topology.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("id").GetString() == service)
            .GetProperty("zones")[0].GetProperty("nodes")[0].GetProperty("pods")[0].GetProperty("inFlight").GetInt32();
    }

    private static async Task<JsonElement> NextEventAsync(StreamReader reader)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }

    private static string[] PodNames(JsonElement topology) =>
    [
        .. topology.GetProperty("services").EnumerateArray()
            .SelectMany(s => s.GetProperty("zones").EnumerateArray())
            .SelectMany(z => z.GetProperty("nodes").EnumerateArray())
            .SelectMany(n => n.GetProperty("pods").EnumerateArray())
            .Select(p => p.GetProperty("name").GetString()!)
            .Order(StringComparer.Ordinal),
    ];
}
