using System.Net;
using System.Net.Sockets;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http1;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http1;

/// <summary>
/// Pods played byte by byte (<see cref="RawPod"/>): every malformed answer is refused with its outcome before a byte
/// reaches the client and its connection closed; resets, silence, stalls, refused and slow connects, the idle-close
/// race, and the request bytes exactly as the pod receives them.
/// </summary>
public sealed class Http1PodFailureTests
{
    /// <summary>An answer that must not be forwarded.</summary>
    public static TheoryData<string> MalformedAnswers => new()
    {
        "HTTP/1.1 2OO OK\r\nContent-Length: 3\r\n\r\nok\n",
        "\u0016\u0003\u0001 this is not HTTP\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nok\n!",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nok\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nok\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nok\nX0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length : 3\r\n\r\nok\n",
        "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 3\r\n\r\nok\n",
        "HTTP/1.1 200 OK\nContent-Length: 3\n\nok\n",
        "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 3\r\n\r\nok\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 70_000) + "\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(MalformedAnswers))]
    public async Task A_malformed_answer_is_BadUpstreamResponse_nothing_is_forwarded_and_the_connection_is_closed(string answer)
    {
        var ct = TestTimeouts.Token();
        var first = true;
        await using var pod = RawPod.Start(_ =>
        {
            var bad = first;
            first = false;
            return bad ? PodAnswer.Raw(answer, PodThen.KeepAlive) : PodAnswer.Ok;
        });
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);

        var refused = await ExchangeAsync(edge, "GET /bad HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
        var after = await ExchangeAsync(edge, "GET /next HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);

        Assert.StartsWith("HTTP/1.1 502 ", refused, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Outcome: BadUpstreamResponse\r\n", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("ok\n", refused, StringComparison.Ordinal);
        Assert.Equal(new EdgeAttempt(AttemptOutcome.BadUpstreamResponse, false), await edge.NextAttemptAsync(ct));
        Assert.StartsWith("HTTP/1.1 200 ", after, StringComparison.Ordinal);
        Assert.Equal(2, pod.Connections);
    }

    /// <summary>A pod's fault, what the edge's config changes, the outcome, and whether the answer had started.</summary>
    public static TheoryData<string, string, bool> Faults => new()
    {
        { "reset-at-once", nameof(AttemptOutcome.UpstreamReset), false },
        { "close-at-once", nameof(AttemptOutcome.UpstreamReset), false },
        { "reset-mid-head", nameof(AttemptOutcome.UpstreamReset), false },
        { "close-after-head", nameof(AttemptOutcome.UpstreamReset), true },
        { "reset-mid-body", nameof(AttemptOutcome.UpstreamReset), true },
        { "chunked-cut", nameof(AttemptOutcome.UpstreamReset), true },
        { "silence", nameof(AttemptOutcome.Timeout), false },
        { "stall-mid-body", nameof(AttemptOutcome.Stalled), true },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failing_pod_gives_its_outcome_and_a_cut_answer_is_never_completed(string fault, string outcome, bool started)
    {
        var ct = TestTimeouts.Token();
        var answer = fault switch
        {
            "reset-at-once" => PodAnswer.ResetAtOnce,
            "close-at-once" => new PodAnswer([], PodThen.Close),
            "reset-mid-head" => PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Ty", PodThen.Reset),
            "close-after-head" => PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"),
            "reset-mid-body" => PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + new string('a', 60000), PodThen.Reset),
            "chunked-cut" => PodAnswer.Raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"),
            "silence" => PodAnswer.Silence,
            _ => PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc", PodThen.HoldOpen),
        };
        await using var pod = RawPod.Start(answer);
        var options = new Http1ForwarderOptions { ResponseHeadersTimeout = TimeSpan.FromSeconds(1), ActivityTimeout = TimeSpan.FromSeconds(1) };
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct, options);

        var received = await ExchangeAsync(edge, "GET /fault HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);

        Assert.Equal(new EdgeAttempt(Enum.Parse<AttemptOutcome>(outcome), started), await edge.NextAttemptAsync(ct));
        if (started)
        {
            // The client's connection was cut (what it got before the reset may be lost with it): never the last
            // chunk, never as many bytes as announced.
            Assert.True(received.Length == 0 || received.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal), received);
            Assert.DoesNotContain("\r\n0\r\n\r\n", received, StringComparison.Ordinal);
            var head = received.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var announced = System.Text.RegularExpressions.Regex.Match(received, "Content-Length: ([0-9]+)");
            Assert.True(head < 0 || !announced.Success || received.Length - head - 4 < long.Parse(announced.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            Assert.Contains($"\r\nX-Outcome: {outcome}\r\n", received, StringComparison.Ordinal);
        }

        Assert.Equal(0, edge.Upstream.IdleCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_pooled_connection_the_pod_closed_while_idle_does_not_fail_the_next_request(bool pollIdleConnections)
    {
        var ct = TestTimeouts.Token();

        // The pod answers as if it kept the connection, then closes it: the keep-alive race, every time.
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n", PodThen.Close));
        var options = new Http1ForwarderOptions { StaleCheckAfter = pollIdleConnections ? TimeSpan.Zero : TimeSpan.MaxValue };
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct, options);
        using var client = new HttpClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("ok\n", await client.GetStringAsync(edge.Url($"/{i}"), ct));
            Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
            await Task.Delay(50, ct);
        }

        Assert.Equal(5, pod.Connections);
    }

    [Fact]
    public async Task A_request_whose_body_went_out_on_a_connection_the_pod_had_closed_is_not_sent_twice()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n", PodThen.Close));
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct, new Http1ForwarderOptions { StaleCheckAfter = TimeSpan.MaxValue });

        await ExchangeAsync(edge, "GET / HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
        await edge.NextAttemptAsync(ct);
        await Task.Delay(100, ct);
        var answer = await ExchangeAsync(edge, "POST /once HTTP/1.1\r\nHost: app\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody", ct);

        Assert.Equal(new EdgeAttempt(AttemptOutcome.UpstreamReset, false), await edge.NextAttemptAsync(ct));
        Assert.Contains("X-Outcome: UpstreamReset", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(pod.Requests, r => r.StartsWith("POST", StringComparison.Ordinal));
        Assert.Equal(1, pod.Connections);
    }

    [Fact]
    public async Task The_pod_receives_the_head_as_the_client_sent_it_less_hop_by_hop_fields()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-Answer: caf\u00e9\r\nKeep-Alive: timeout=5\r\n\r\nok\n", PodThen.KeepAlive));
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);

        // Kestrel reduces a Connection value naming close, keep-alive or upgrade to that one option, so the field
        // named here is named alone; the second request closes the client's connection.
        var answer = await ExchangeAsync(
            edge,
            "GET /a%2Fb/%3B?q=%20 HTTP/1.1\r\nHost: App.Example:8080\r\nConnection: X-Hop\r\nX-Hop: 1\r\nTE: trailers\r\nX-File: caf\u00e9.txt\r\nkeep-alive: 1\r\n\r\n"
            + "GET /second HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
            ct);

        Assert.Equal(
            "GET /a%2Fb/%3B?q=%20 HTTP/1.1\r\nHost: App.Example:8080\r\nX-File: caf\u00e9.txt\r\nTE: trailers\r\nConnection: TE\r\n\r\n",
            pod.Requests[0]);
        Assert.Contains("\r\nX-Answer: caf\u00e9\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Keep-Alive", answer, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_chunked_answer_with_trailers_reaches_an_HTTP_1_1_client_whole_and_the_connection_is_kept()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 5\r\n\r\n", PodThen.KeepAlive));
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();

        Assert.Equal("abcde", await client.GetStringAsync(edge.Url("/"), ct));
        Assert.Equal("abcde", await client.GetStringAsync(edge.Url("/"), ct));

        Assert.Equal(1, pod.Connections);
    }

    [Fact]
    public async Task An_answer_until_close_is_relayed_whole_and_its_connection_not_reused()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", PodThen.Close));
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();

        Assert.Equal("all of it", await client.GetStringAsync(edge.Url("/"), ct));
        Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
        Assert.Equal(0, edge.Upstream.IdleCount);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\nextra")]
    public async Task A_connection_the_answer_does_not_leave_clean_is_not_reused(string answer)
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw(answer, PodThen.KeepAlive));
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();

        Assert.Equal("ok\n", await client.GetStringAsync(edge.Url("/"), ct));
        Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
        Assert.Equal(0, edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task An_HTTP_1_0_answer_with_keep_alive_keeps_the_connection()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nok\n", PodThen.KeepAlive));
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();

        Assert.Equal("ok\n", await client.GetStringAsync(edge.Url("/"), ct));
        Assert.Equal("ok\n", await client.GetStringAsync(edge.Url("/"), ct));
        Assert.Equal(1, pod.Connections);
    }

    [Fact]
    public async Task Interim_answers_are_skipped()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Raw("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n", PodThen.KeepAlive));
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();

        using var response = await client.GetAsync(edge.Url("/"), ct);

        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync(ct));
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task A_client_gone_mid_answer_is_ClientAbort_and_the_pod_connection_is_closed()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);

        using (var client = new HttpClient())
        {
            using var response = await client.GetAsync(edge.Url("/slow?n=10000000"), HttpCompletionOption.ResponseHeadersRead, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await body.ReadExactlyAsync(new byte[8192], ct);
        }

        Assert.Equal(new EdgeAttempt(AttemptOutcome.ClientAbort, true), await edge.NextAttemptAsync(ct));
        Assert.Equal(0, edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task A_broken_request_body_is_BadRequestBody_and_the_pod_connection_is_closed()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);

        await ExchangeAsync(edge, "POST /echo HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n", ct);

        Assert.Equal(AttemptOutcome.BadRequestBody, (await edge.NextAttemptAsync(ct)).Outcome);
        Assert.Equal(0, edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task A_refused_connection_is_ConnectRefused_before_anything_is_answered()
    {
        var ct = TestTimeouts.Token();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), 0));
        var closed = (IPEndPoint)socket.LocalEndPoint!;
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(closed.Address.ToString(), closed.Port), ct);

        var answer = await ExchangeAsync(edge, "GET / HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);

        Assert.Equal(new EdgeAttempt(AttemptOutcome.ConnectRefused, false), await edge.NextAttemptAsync(ct));
        Assert.Contains("X-Outcome: ConnectRefused", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_that_never_accepts_is_ConnectTimeout()
    {
        var ct = TestTimeouts.Token();

        // A listener that never accepts, its queue filled: Linux drops further SYNs, so connecting times out.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = Enumerable.Range(0, 4).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        fillers.ForEach(f => _ = f.ConnectAsync(endpoint, ct).AsTask());
        try
        {
            await using var edge = await LeanEdge.StartAsync(
                new Http1UpstreamKey(endpoint.Address.ToString(), endpoint.Port), ct, new Http1ForwarderOptions { ConnectTimeout = TimeSpan.FromMilliseconds(500) });

            await ExchangeAsync(edge, "GET / HTTP/1.1\r\nHost: app\r\n\r\n", ct);

            Assert.Equal(new EdgeAttempt(AttemptOutcome.ConnectTimeout, false), await edge.NextAttemptAsync(ct));
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    /// <summary>Sends raw bytes to the edge and reads until it closes, or for at most a few seconds (the answer stays Latin-1).</summary>
    private static async Task<string> ExchangeAsync(LeanEdge edge, string request, CancellationToken ct)
    {
        using var connection = await RawConnection.OpenAsync(edge.Port, null, ct);
        await connection.SendAsync(System.Text.Encoding.Latin1.GetBytes(request), ct);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return await connection.ReadToCloseAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return string.Empty;
        }
    }
}
