using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Connections;

/// <summary>Each limit answers with its own status: 431, 413, 408, a refused connection, 429.</summary>
public sealed class LimitsTests
{
    private const string Limits = """
        limits:
          maxRequestHeadersSize: 4KiB
          maxRequestHeaders: 20
          maxRequestBodySize: 1KiB
          requestHeadersTimeout: 1s
        """;

    [Fact]
    public async Task Oversized_headers_too_many_headers_and_a_large_body_get_431_431_and_413()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(pods), ct, Limits);

        using var big = new HttpRequestMessage(HttpMethod.Get, "/");
        big.Headers.Add("X-Big", new string('a', 5000));
        using var bigAnswer = await onehop.Proxy.SendAsync(big, ct);
        using var many = new HttpRequestMessage(HttpMethod.Get, "/");
        for (var i = 0; i < 25; i++)
        {
            many.Headers.Add($"X-H{i}", "v");
        }

        using var manyAnswer = await onehop.Proxy.SendAsync(many, ct);
        using var declared = await onehop.Proxy.PostAsync("/upload", new ByteArrayContent(new byte[2048]), ct);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = new StreamContent(new MemoryStream(new byte[4096])) };
        chunked.Headers.TransferEncodingChunked = true;
        using var chunkedAnswer = await onehop.Proxy.SendAsync(chunked, ct);
        using var small = await onehop.Proxy.PostAsync("/upload", new ByteArrayContent(new byte[1000]), ct);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, bigAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, manyAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal("received 1000\n", await small.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task A_client_too_slow_to_send_its_headers_gets_408_and_the_connection_closes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(pods), ct, Limits);

        using var slowloris = await RawConnection.OpenAsync(onehop.Port("http"), null, ct);
        await slowloris.SendAsync("GET / HTTP/1.1\r\nHost: app\r\nX-Slow: 1\r\n", ct);
        var started = DateTime.UtcNow;
        var answer = await slowloris.ReadToCloseAsync(ct);

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_listener_at_its_connection_cap_refuses_one_more_and_admits_again_when_one_closes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(pods), ct, """
            listeners:
              - name: capped
                address: 127.0.0.1:0
                maxConnections: 2
            """);
        var port = onehop.Port("http");
        const string Request = "GET / HTTP/1.1\r\nHost: app\r\n\r\n";

        using var first = await RawConnection.OpenAsync(port, null, ct);
        using var second = await RawConnection.OpenAsync(port, null, ct);
        await first.SendAsync(Request, ct);
        await second.SendAsync(Request, ct);
        await Task.Delay(200, ct);
        var refused = await ExchangeAsync(port, Request + "GET / HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
        first.Dispose();
        string readmitted = string.Empty;
        await OneHopInstance.EventuallyAsync(
            async () =>
            {
                // Until OneHop has seen the first connection close, a new one is still over the cap.
                readmitted = await ExchangeAsync(port, "GET / HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
                return readmitted.Length > 0;
            },
            TimeSpan.FromSeconds(5),
            "a connection is admitted once one closed",
            ct);

        Assert.Equal(string.Empty, refused);
        Assert.StartsWith("HTTP/1.1 200", readmitted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_over_its_rate_gets_429_while_another_client_is_served()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(pods), ct, """
            limits:
              rateLimit: {requestsPerSecond: 1, burst: 5}
            """);
        var port = onehop.Port("http");

        var statuses = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await onehop.GetAsync("/", ct)).Status);
        }

        using var other = await RawConnection.OpenAsync(port, LoopbackAddresses.Next(), ct);
        await other.SendAsync("GET / HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
        var otherAnswer = await other.ReadToCloseAsync(ct);

        Assert.Equal([200, 200, 200, 200, 200], statuses.Take(5));
        Assert.Contains(429, statuses.Skip(5));
        Assert.StartsWith("HTTP/1.1 200", otherAnswer, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Manifests(TestPods pods) => new()
    {
        ["class.yaml"] = Yaml.DefaultClass,
        ["app.yaml"] = Yaml.Service("app", pods) + Yaml.Ingress("app", "/", "app"),
    };

    /// <summary>Sends on a new connection and reads until it closes; a connection refused by a reset counts as closed without a byte.</summary>
    private static async Task<string> ExchangeAsync(int port, string request, CancellationToken ct)
    {
        try
        {
            using var connection = await RawConnection.OpenAsync(port, null, ct);
            await connection.SendAsync(request, ct);
            return await connection.ReadToCloseAsync(ct);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
        {
            return string.Empty;
        }
    }
}
