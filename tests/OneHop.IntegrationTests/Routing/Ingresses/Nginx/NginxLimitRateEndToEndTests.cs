using System.Diagnostics;
using OneHop.Core.Proxy.Http;
using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// <c>limit-rate</c> and <c>limit-rate-after</c> through a real OneHop and pod, on both forwarders, with
/// <c>proxy-buffering: on</c> as ingress-nginx needs: the controller ConfigMap's rate paces every Ingress without the annotation (an answer cannot arrive sooner than its pace allows),
/// an Ingress's <c>limit-rate: "0"</c> lifts it, and <c>limit-rate-after</c> lets its bytes go at once; with
/// compression the bytes paced are the coded ones the client gets, as nginx's, and they decode whole.
/// </summary>
public sealed class NginxLimitRateEndToEndTests
{
    private const int AnswerBytes = 300 * 1024;

    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_paced_answer_takes_its_pace_and_the_others_go_at_once(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("files", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["files.yaml"] = Yaml.Service("files", pods)
                + Yaml.NginxIngress("paced", "paced.example.org", "files")
                + Yaml.NginxIngress("free", "free.example.org", "files", "/", null, "limit-rate: \"0\"")
                + Yaml.NginxIngress("after", "after.example.org", "files", "/", null, "limit-rate-after: \"250\""),
            ["controller.yaml"] = Yaml.NginxControllerMap(MapKey, "limit-rate: \"50\"", "proxy-buffering: \"on\"", "use-gzip: \"true\""),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { NginxConfigMap = MapKey, Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean });

        // 300 KiB at 50 KiB/s, the first second's worth at once: 5 s at the least.
        var paced = await DownloadAsync(onehop, "paced.example.org");
        Assert.True(paced >= TimeSpan.FromSeconds(4.5), $"a paced answer arrived in {paced}");

        // limit-rate "0" on the Ingress wins over the ConfigMap's; 250 KiB free and a second's worth cover the answer.
        var free = await DownloadAsync(onehop, "free.example.org");
        Assert.True(free < TimeSpan.FromSeconds(3), $"an answer without a rate took {free}");
        var after = await DownloadAsync(onehop, "after.example.org");
        Assert.True(after < TimeSpan.FromSeconds(3), $"an answer within limit-rate-after took {after}");

        // The pod's zeros coded by gzip are a few hundred bytes: within the first second's worth, and whole once decoded.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/download?bytes={AnswerBytes}");
        request.Headers.Host = "paced.example.org";
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var clock = Stopwatch.StartNew();
        using var coded = await onehop.Proxy.SendAsync(request, Cancel);
        var bytes = await coded.Content.ReadAsByteArrayAsync(Cancel);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"a coded answer took {clock.Elapsed}");
        Assert.Equal("gzip", Assert.Single(coded.Content.Headers.ContentEncoding));
        await using var decoder = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
        var plain = new MemoryStream();
        await decoder.CopyToAsync(plain, Cancel);
        Assert.Equal(AnswerBytes, plain.Length);
        Assert.True(plain.ToArray().All(b => b == 0));
    }

    /// <summary>
    /// proxy-read-timeout is the pod's silence, not the client's pace: a piece of the answer held by the pace longer than
    /// it (nginx reads no more from the pod meanwhile, and sets no read timer) still arrives whole.
    /// </summary>
    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_pace_slower_than_the_read_timeout_is_no_timeout(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("files", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["files.yaml"] = Yaml.Service("files", pods)
                + Yaml.NginxIngress("slow", "slow.example.org", "files", "/", null, "limit-rate: \"1\"", "proxy-buffering: \"on\"", "proxy-read-timeout: \"1\""),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean });

        // 4 KiB at 1 KiB/s, the first KiB at once: 3 s in pieces the forwarder read from the pod at once.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/download?bytes=4096");
        request.Headers.Host = "slow.example.org";
        var clock = Stopwatch.StartNew();
        using var answer = await onehop.Proxy.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        Assert.Equal(4096, (await answer.Content.ReadAsByteArrayAsync(Cancel)).Length);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.7), $"4 KiB at 1 KiB/s arrived in {clock.Elapsed}");
    }

    /// <summary>A WebSocket on a paced route: the tunnel after 101 is not paced and works, on both forwarders.</summary>
    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_websocket_on_a_paced_route_is_a_plain_tunnel(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("files", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["files.yaml"] = Yaml.Service("files", pods) + Yaml.NginxIngress("paced", "paced.example.org", "files", "/", null, "limit-rate: \"1\"", "proxy-buffering: \"on\""),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean });
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.SetRequestHeader("Host", "paced.example.org");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{onehop.Port("http")}/ws"), Cancel);

        // 8 KiB, at 1 KiB/s were it paced: it comes back at once.
        var clock = Stopwatch.StartNew();
        var sent = new byte[8192];
        await socket.SendAsync(sent, System.Net.WebSockets.WebSocketMessageType.Binary, endOfMessage: true, Cancel);
        var received = 0;
        var buffer = new byte[16384];
        System.Net.WebSockets.WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, Cancel);
            received += result.Count;
        }
        while (!result.EndOfMessage);

        Assert.Equal(sent.Length, received);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"a tunnelled message took {clock.Elapsed}");
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", Cancel);
    }

    /// <summary>HTTP/2 clients: each stream of one connection is paced on its own, as nginx's limit is per request.</summary>
    [Fact]
    public async Task Each_http2_stream_is_paced_on_its_own()
    {
        await using var pods = await TestPods.StartAsync("files", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["files.yaml"] = Yaml.Service("files", pods) + Yaml.NginxIngress("paced", "paced.example.org", "files", "/", null, "limit-rate: \"50\"", "proxy-buffering: \"on\""),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, config: "listeners: [{name: h2, address: \"127.0.0.1:0\", protocol: h2c}]\n");
        using var h2 = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{onehop.Port("http")}"),
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        // Each 5 s at the least; a pace shared by the connection would take the three 15 s.
        var took = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DownloadAsync(h2, "paced.example.org")));
        Assert.All(took, t => Assert.True(t >= TimeSpan.FromSeconds(4.5), $"a paced HTTP/2 answer arrived in {t}"));
        Assert.True(took.Max() < TimeSpan.FromSeconds(10), $"three paced HTTP/2 answers took {took.Max()}: not each at its own pace");
    }

    /// <summary>The pod's answer of <see cref="AnswerBytes"/> through OneHop, read whole; how long it took.</summary>
    private static Task<TimeSpan> DownloadAsync(OneHopInstance onehop, string host) => DownloadAsync(onehop.Proxy, host);

    private static async Task<TimeSpan> DownloadAsync(HttpClient client, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/download?bytes={AnswerBytes}") { Version = client.DefaultRequestVersion, VersionPolicy = client.DefaultVersionPolicy };
        request.Headers.Host = host;
        var clock = Stopwatch.StartNew();
        using var answer = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        Assert.Equal(client.DefaultRequestVersion, answer.Version);
        var body = await answer.Content.ReadAsByteArrayAsync(Cancel);
        var took = clock.Elapsed;
        Assert.True(answer.IsSuccessStatusCode, host);
        Assert.Equal(AnswerBytes, body.Length);
        return took;
    }
}
