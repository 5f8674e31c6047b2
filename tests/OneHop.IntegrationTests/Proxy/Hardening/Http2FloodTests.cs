using System.Net;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Proxy.Hardening.RawHttp2Connection;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Hardening;

/// <summary>
/// HTTP/2 floods on an h2c listener (the HTTP/2 front end is Kestrel's; these pin down what OneHop gets from it): a
/// flooding connection is cut or held back by backpressure, other clients keep being served, and no proxied request
/// is left in flight.
/// </summary>
public sealed class Http2FloodTests
{
    private const string H2c = "listeners: [{name: h2c, address: \"127.0.0.1:0\", protocol: h2c}]";

    [Fact]
    public async Task A_rapid_reset_flood_leaves_others_served_and_nothing_in_flight()
    {
        var ct = TestTimeouts.Token(TimeSpan.FromSeconds(60));
        await using var pods = await TestPods.StartAsync("web", 1, ct);
        await using var onehop = await StartAsync(pods, ct);
        var port = onehop.Port("http");

        // CVE-2023-44487: requests opened and reset at once, as fast as the connection takes them.
        await using (var flood = await OpenAsync(port, ct))
        {
            var stream = 1;
            for (var i = 0; i < 5000; i++, stream += 2)
            {
                byte[] pair = [.. Frame(Headers, EndHeaders | EndStream, stream, GetHeaders("app")), .. Frame(RstStream, 0, stream, [0, 0, 0, 8])];
                if (!await flood.SendAsync(pair, ct))
                {
                    break;
                }
            }

            await AssertServedAsync(port, ct);
        }

        await OneHopInstance.EventuallyAsync(async () => InFlight(await onehop.Admin.GetStringAsync("/metrics", ct)) == 0, TimeSpan.FromSeconds(10), "no request left in flight", ct);
    }

    [Fact]
    public async Task An_endless_header_block_is_cut()
    {
        var ct = TestTimeouts.Token(TimeSpan.FromSeconds(60));
        await using var pods = await TestPods.StartAsync("web", 1, ct);
        await using var onehop = await StartAsync(pods, ct);
        var port = onehop.Port("http");

        // CVE-2024-27316 and kin: a HEADERS frame without END_HEADERS, then CONTINUATION frames that never end.
        await using var flood = await OpenAsync(port, ct);
        var field = new byte[] { 0x00, 0x03, (byte)'x', (byte)'-', (byte)'a', 0x7F, 0x00 }.Concat(Enumerable.Repeat((byte)'a', 127)).ToArray();
        var block = Enumerable.Range(0, 100).SelectMany(_ => field).ToArray();
        var sent = 0L;
        var open = await flood.SendAsync(Frame(Headers, EndStream, 1, GetHeaders("app")), ct);
        while (open && sent < 64L << 20 && !flood.Ended.IsCompleted)
        {
            open = await flood.SendAsync(Frame(Continuation, 0, 1, block), ct);
            sent += block.Length;
        }

        // The server stops at its header limit (32 KiB); what was sent beyond that sat in the sockets' buffers.
        await flood.Ended.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.True(sent < 16L << 20, $"{sent >> 20} MiB of one header block were sent before the connection was cut");
        await AssertServedAsync(port, ct);
    }

    [Fact]
    public async Task A_ping_flood_from_a_client_that_never_reads_meets_backpressure()
    {
        var ct = TestTimeouts.Token(TimeSpan.FromSeconds(60));
        await using var pods = await TestPods.StartAsync("web", 1, ct);
        await using var onehop = await StartAsync(pods, ct);
        var port = onehop.Port("http");

        // CVE-2019-9512: every PING wants an answer; a client that reads none must not make the server queue them all.
        await using var flood = await OpenAsync(port, ct, drain: false);
        var pings = Enumerable.Range(0, 1000).SelectMany(i => Frame(Ping, 0, 0, BitConverter.GetBytes((long)i))).ToArray();
        var sent = 0L;
        while (sent < 256L << 20)
        {
            using var stalled = CancellationTokenSource.CreateLinkedTokenSource(ct);
            stalled.CancelAfter(TimeSpan.FromSeconds(2));
            if (!await flood.SendAsync(pings, stalled.Token))
            {
                break;
            }

            sent += pings.Length;
        }

        Assert.True(sent < 64L << 20, $"{sent >> 20} MiB of PINGs were taken from a client that read no answer");
        await AssertServedAsync(port, ct);
    }

    private static Task<OneHopInstance> StartAsync(TestPods pods, CancellationToken ct) =>
        OneHopInstance.StartAsync(new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods) + Ingress("site", "/", "web") }, ct, H2c);

    /// <summary>Another client, over HTTP/2 with prior knowledge, gets its answer.</summary>
    private static async Task AssertServedAsync(int port, CancellationToken ct)
    {
        using var client = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.GetAsync($"http://127.0.0.1:{port}/", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    private static double InFlight(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("http_client_active_requests{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
