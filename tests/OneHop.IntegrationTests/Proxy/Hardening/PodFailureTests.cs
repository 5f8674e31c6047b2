using System.Net;
using System.Net.Sockets;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Hardening;

/// <summary>
/// Misbehaving pods (the only endpoint of their Service, so nothing is retried): the client gets the status
/// docs/operations.md promises, a body saying why and <c>X-OneHop-Error</c> naming the cause; an answer already
/// under way is cut off, never passed as complete.
/// </summary>
public sealed class PodFailureTests
{
    private static readonly Dictionary<string, PodAnswer> Faults = new()
    {
        ["reset-at-once"] = PodAnswer.ResetAtOnce,
        ["close-at-once"] = new PodAnswer([], PodThen.Close),
        ["reset-mid-head"] = PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Ty", PodThen.Reset),
        ["bad-status-line"] = PodAnswer.Raw("HTTP/1.1 2OO OK\r\nContent-Length: 3\r\n\r\nok\n"),
        ["garbage"] = PodAnswer.Raw("\u0016\u0003\u0001 this is not HTTP\r\n\r\n"),
        ["two-content-lengths"] = PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nok\n!"),
        ["bad-chunk"] = PodAnswer.Raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n"),
        ["silence"] = PodAnswer.Silence,
    };

    /// <summary>Fault, extra config, status, X-OneHop-Error, a phrase of the body.</summary>
    public static TheoryData<string, string, int, string, string> Cases => new()
    {
        { "reset-at-once", string.Empty, 502, "upstream-reset", "closed or reset the connection" },
        { "close-at-once", string.Empty, 502, "upstream-reset", "closed or reset the connection" },
        { "reset-mid-head", string.Empty, 502, "upstream-reset", "closed or reset the connection" },
        { "bad-status-line", string.Empty, 502, "bad-upstream-response", "malformed response" },
        { "garbage", string.Empty, 502, "bad-upstream-response", "malformed response" },
        { "two-content-lengths", string.Empty, 502, "bad-upstream-response", "malformed response" },
        { "bad-chunk", string.Empty, 502, "bad-upstream-response", "malformed response" },
        { "silence", "defaults: {requestTimeout: 1s}", 504, "timeout", "did not answer in time" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_faulty_pod_gets_the_client_a_status_and_a_reason(string fault, string config, int status, string code, string reason)
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(Faults[fault]);
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["app.yaml"] = pod.Manifests("app") }, ct, config.Length == 0 ? null : config);

        var answer = await ExchangeAsync(onehop, ct);

        Assert.StartsWith($"HTTP/1.1 {status} ", answer, StringComparison.Ordinal);
        Assert.Contains($"\r\nX-OneHop-Error: {code}\r\n", answer, StringComparison.Ordinal);
        Assert.Contains($"default/app:80", answer, StringComparison.Ordinal);
        Assert.Contains(reason, answer, StringComparison.Ordinal);
        Assert.NotEmpty(pod.Requests);
    }

    [Fact]
    public async Task A_refused_connection_to_the_only_endpoint_is_503_saying_no_endpoint_accepted_it()
    {
        var ct = TestTimeouts.Token();
        var (address, port) = ClosedPort();
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["app.yaml"] = Yaml.DefaultClass + Yaml.Service("app", port, new Yaml.Endpoint(address, "app-0")) + Yaml.Ingress("app", "/", "app") },
            ct);

        var answer = await ExchangeAsync(onehop, ct);

        Assert.StartsWith("HTTP/1.1 503 ", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nX-OneHop-Error: connect-refused\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("no endpoint of default/app:80 accepted the connection (1 tried)", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_whose_accept_queue_is_full_times_out_connecting_with_503()
    {
        var ct = TestTimeouts.Token();

        // A listener that never accepts, its queue filled: Linux drops further SYNs, so connecting times out.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(filler);
            _ = filler.ConnectAsync(endpoint, ct).AsTask();
        }

        try
        {
            await using var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string> { ["app.yaml"] = Yaml.DefaultClass + Yaml.Service("app", endpoint.Port, new Yaml.Endpoint(endpoint.Address.ToString(), "app-0")) + Yaml.Ingress("app", "/", "app") },
                ct,
                "defaults: {connectTimeout: 500ms}");

            var answer = await ExchangeAsync(onehop, ct);

            Assert.StartsWith("HTTP/1.1 503 ", answer, StringComparison.Ordinal);
            Assert.Contains("\r\nX-OneHop-Error: connect-timeout\r\n", answer, StringComparison.Ordinal);
            Assert.Contains("no endpoint of default/app:80 accepted the connection (1 tried", answer, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task A_route_timeout_is_504_saying_so()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Silence);
        var ingress = Yaml.Ingress("app", "/", "app").Replace("  name: app\n", "  name: app\n  annotations: {\"onehop.dev/timeout\": \"1s\"}\n", StringComparison.Ordinal);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["app.yaml"] = Yaml.DefaultClass + Yaml.Service("app", pod.Port, new Yaml.Endpoint(pod.Address, "app-0")) + ingress },
            ct);

        var answer = await ExchangeAsync(onehop, ct);

        Assert.StartsWith("HTTP/1.1 504 ", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nX-OneHop-Error: timeout\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_that_closes_after_its_head_leaves_the_client_with_a_cut_answer()
    {
        // The head goes to the client as soon as it arrives (a streaming answer shows its status at once, as with
        // nginx and HAProxy), so a pod gone before its body can only cut the answer (the connection is reset, and the
        // client may see nothing of it) unless OneHop saw the close first and answers 502 itself; never a complete 200.
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"));
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["app.yaml"] = pod.Manifests("app") }, ct);

        var answer = await ExchangeAsync(onehop, ct);

        AssertCut(answer, 100);
        Assert.NotEmpty(pod.Requests);
    }

    [Fact]
    public async Task A_pod_that_resets_mid_body_leaves_the_client_with_a_cut_answer_never_a_complete_one()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + new string('a', 60000), PodThen.Reset));
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["app.yaml"] = pod.Manifests("app") }, ct);

        var answer = await ExchangeAsync(onehop, ct);

        AssertCut(answer, 100000);
    }

    [Fact]
    public async Task A_pods_own_5xx_is_passed_on_as_the_pods_without_OneHops_header()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 12\r\n\r\npod is busy\n", PodThen.KeepAlive));
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["app.yaml"] = pod.Manifests("app") }, ct);

        var answer = await ExchangeAsync(onehop, ct);

        Assert.StartsWith("HTTP/1.1 503 ", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("X-OneHop-Error", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\npod is busy\n", answer, StringComparison.Ordinal);
    }

    private static async Task<string> ExchangeAsync(OneHopInstance onehop, CancellationToken ct)
    {
        using var connection = await RawConnection.OpenAsync(onehop.Port("http"), null, ct);
        await connection.SendAsync("GET /fault HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
        return await connection.ReadToCloseAsync(ct);
    }

    /// <summary>
    /// An answer cut short: what the client got of the 200 (the connection is reset, so its kernel may drop what it
    /// had not read yet, even all of it), or OneHop's 502 when it saw the end before relaying anything; never all
    /// <paramref name="length"/> bytes of the body.
    /// </summary>
    private static void AssertCut(string answer, int length)
    {
        if (answer.StartsWith("HTTP/1.1 502 ", StringComparison.Ordinal))
        {
            Assert.Contains("\r\nX-OneHop-Error: upstream-reset\r\n", answer, StringComparison.Ordinal);
        }
        else if (answer.Length > 0)
        {
            Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
            var head = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(head < 0 || answer.Length - head - 4 < length, "the whole body reached the client");
        }
    }

    /// <summary>A loopback address and port nothing listens on.</summary>
    private static (string Address, int Port) ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), 0));
        var endpoint = (IPEndPoint)socket.LocalEndPoint!;
        return (endpoint.Address.ToString(), endpoint.Port);
    }
}
