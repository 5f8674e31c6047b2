using System.Net;
using System.Net.Sockets;
using System.Text;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Hardening;

/// <summary>
/// What a client does never counts against a healthy pod: not for passive health (no ejection), not for peak-EWMA
/// (no latency penalty). Each kind of client failure is sent more often than the ejection threshold.
/// </summary>
public sealed class ClientFailureTests
{
    /// <summary>A short activity timeout, so that a client that stops reading is cut within the test.</summary>
    private const string Config = "defaults: {requestTimeout: 2s}";

    private static readonly Dictionary<string, string> Outlier = new()
    {
        ["load-balance"] = "round-robin",
        ["outlier-consecutive-failures"] = "3",
        ["outlier-max-ejection-percent"] = "50",
        ["outlier-base-ejection-time"] = "30s",
    };

    /// <summary>Each kind of client failure, with the status OneHop answers it (0: the client is gone before an answer).</summary>
    public static TheoryData<string, int> Kinds => new()
    {
        { "utf8-header", 200 },
        { "malformed-chunked-body", 400 },
        { "body-cut-short", 0 },
        { "connect-method", 501 },
        { "gone-mid-answer", 0 },
        { "stops-reading", 0 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Client_failures_never_eject_a_healthy_pod(string kind, int status)
    {
        var ct = TestTimeouts.Token();
        await using var pods = await TestPods.StartAsync("web", 2, ct);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, Outlier, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web") },
            ct,
            Config);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => FailAsync(onehop.Port("http"), kind, "app", ct)));

        Assert.All(answers, a => Assert.StartsWith(status == 0 ? string.Empty : $"HTTP/1.1 {status} ", a, StringComparison.Ordinal));
        await AssertBothServeAsync(onehop, ct);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Client_failures_add_no_latency_penalty_to_the_pod_for_peak_EWMA(string kind, int status)
    {
        var ct = TestTimeouts.Token();
        await using var pods = await TestPods.StartAsync("web", 2, ct);
        pods["web-1"].Behavior.Delay = TimeSpan.FromMilliseconds(40);

        // "solo" routes to web-0 only: endpoint runtime state (the latency estimate) is per pod, shared by both Services.
        var solo = Service("solo", pods.Port, Endpoint.Ready(pods["web-0"]));
        var web = AnnotatedService("web", pods.Port, new Dictionary<string, string> { ["load-balance"] = "peak-ewma" }, [.. pods.All.Select(Endpoint.Ready)]);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + solo + web + Ingress("site", ("solo", "/", "Prefix", "solo"), ("", "/", "Prefix", "web")) },
            ct,
            Config);
        // Peak EWMA believes a peak at once and forgets it over its decay: a slow first exchange (a cold connection on a
        // busy machine) can keep web-0 looking slow for seconds. So compare web-0's share before and after the client
        // failures rather than against a fixed figure; a 1 s penalty per failure would take its share to nearly 0.
        for (var i = 0; i < 10; i++)
        {
            await onehop.GetAsync("/", ct);
        }

        var before = await FastShareAsync(onehop, ct);
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => FailAsync(onehop.Port("http"), kind, "solo", ct)));
        Assert.All(answers, a => Assert.StartsWith(status == 0 ? string.Empty : $"HTTP/1.1 {status} ", a, StringComparison.Ordinal));

        var after = await FastShareAsync(onehop, ct);
        Assert.True(after >= Math.Min(15, before) - 3, $"web-0, 40 ms faster, got {after} of 20 requests after client failures on it ({before} before)");
    }

    /// <summary>How many of 20 requests to the peak-EWMA backend the fast pod gets.</summary>
    private static async Task<int> FastShareAsync(OneHopInstance onehop, CancellationToken ct)
    {
        var fast = 0;
        for (var i = 0; i < 20; i++)
        {
            fast += (await onehop.GetAsync("/", ct)).Pod == "web-0" ? 1 : 0;
        }

        return fast;
    }

    /// <summary>One client-caused failure of <paramref name="kind"/> on a new connection; what OneHop answered, if anything.</summary>
    private static async Task<string> FailAsync(int port, string kind, string host, CancellationToken ct)
    {
        if (kind is "gone-mid-answer" or "stops-reading")
        {
            await LeaveMidAnswerAsync(port, host, kind == "stops-reading" ? TimeSpan.FromSeconds(3.5) : TimeSpan.Zero, ct);
            return string.Empty;
        }

        using var connection = await RawConnection.OpenAsync(port, null, ct);
        switch (kind)
        {
            case "utf8-header":
                await connection.SendAsync(Encoding.Latin1.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\nX-Filename: caf\u00c3\u00a9.txt\r\nConnection: close\r\n\r\n"), ct);
                break;
            case "malformed-chunked-body":
                await connection.SendAsync($"POST /upload HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n", ct);
                break;
            case "body-cut-short":
                await connection.SendAsync($"POST /upload HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100\r\n\r\nonly part of it", ct);
                await Task.Delay(50, ct);
                return string.Empty;
            case "connect-method":
                await connection.SendAsync($"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n", ct);
                break;
        }

        return await connection.ReadToCloseAsync(ct);
    }

    /// <summary>
    /// Asks for a large answer, reads its first bytes, then reads nothing for <paramref name="stall"/> (past the
    /// activity timeout OneHop cuts the answer) and leaves.
    /// </summary>
    private static async Task LeaveMidAnswerAsync(int port, string host, TimeSpan stall, CancellationToken ct)
    {
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 })
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /download?bytes=200000000 HTTP/1.1\r\nHost: {host}\r\n\r\n"), ct);
            _ = await socket.ReceiveAsync(new byte[4096], ct);
            await Task.Delay(stall, ct);
        }

        // Lets OneHop see the connection go before the next step counts anything.
        await Task.Delay(100, ct);
    }

    private static async Task AssertBothServeAsync(OneHopInstance onehop, CancellationToken ct)
    {
        var served = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var (status, pod, _) = await onehop.GetAsync("/", ct);
            Assert.Equal(200, status);
            served.Add(pod!);
        }

        Assert.Equal(["web-0", "web-1"], served.Order());
        var metrics = await onehop.Admin.GetStringAsync("/metrics", ct);
        Assert.DoesNotContain(metrics.Split('\n'), l => l.StartsWith("onehop_outlier_ejections_total{", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));
    }
}
