using System.IO.Compression;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using OneHop.Core.Proxy.Http;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>
/// Compression where an answer is not simply the pod's: a 502 held back and retried on another pod leaves one coded
/// answer, the retried pod's; an error page (ingress-nginx's custom-http-errors) is coded as nginx's gzip codes it; a
/// WebSocket on a compressing route is a plain tunnel. Both forwarders.
/// </summary>
public sealed class CompressionOffTheSimplePathTests
{
    private const string Compressing = "compression: {minLength: 0}\n";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_502_held_back_and_retried_leaves_one_coded_answer_of_the_other_pod(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        pods["web-0"].Behavior.Status = 502;
        await using var onehop = await StartAsync(pods, forwarder);

        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/retried");
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            using var answer = await onehop.Proxy.SendAsync(request, Cancel);
            var body = await answer.Content.ReadAsByteArrayAsync(Cancel);
            Assert.Equal((HttpStatusCode.OK, "gzip"), (answer.StatusCode, answer.Content.Headers.ContentEncoding.SingleOrDefault()));
            Assert.StartsWith("Hello from pod web-1 ", Gunzip(body), StringComparison.Ordinal);
        }

        // The retry path was taken: some of the 20 went to web-0 first (p2c draws among the two at random).
        var metrics = (await onehop.Admin.GetStringAsync("/metrics", Cancel)).Split('\n');
        Assert.True(metrics.Where(l => l.StartsWith("onehop_http_retries_total{", StringComparison.Ordinal)).Sum(l => double.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture)) > 0);
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task An_error_page_in_place_of_the_pod_s_answer_is_coded_whole(string forwarder)
    {
        var map = new Core.State.ObjectKey("ingress-nginx", "ingress-nginx-controller");
        await using var web = await TestPods.StartAsync("web", 1, Cancel);
        await using var errors = await TestPods.StartAsync("errors", 1, Cancel);
        web["web-0"].Behavior.Status = 404;
        errors["errors-0"].Behavior.Status = 404; // an error backend answers with the X-Code it was sent, and nginx passes its status
        var manifests = new Dictionary<string, string>
        {
            ["all.yaml"] = DefaultClass + Service("web", web) + Service("errors", errors)
                + NginxIngress("site", "site.example.org", "web", "/", null, "custom-http-errors: \"404\"", "default-backend: errors"),
            ["controller.yaml"] = NginxControllerMap(map, "use-gzip: \"true\"", "gzip-min-length: \"1\""),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { NginxConfigMap = map, Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/missing");
        request.Headers.Host = "site.example.org";
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var answer = await onehop.Proxy.SendAsync(request, Cancel);
        Assert.Equal((HttpStatusCode.NotFound, "gzip"), (answer.StatusCode, answer.Content.Headers.ContentEncoding.SingleOrDefault()));
        Assert.StartsWith("Hello from pod errors-0 ", Gunzip(await answer.Content.ReadAsByteArrayAsync(Cancel)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_websocket_on_a_compressing_route_is_a_plain_tunnel(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await StartAsync(pods, forwarder);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Accept-Encoding", "gzip, br");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{onehop.Port("http")}/ws"), Cancel);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Content-Encoding"));

        var text = new string('a', 4000); // compressible, were it coded
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, Cancel);
        var buffer = new byte[8192];
        var received = new StringBuilder();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, Cancel);
            received.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        while (!result.EndOfMessage);

        Assert.Equal(text, received.ToString());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Cancel);
    }

    private static Task<OneHopInstance> StartAsync(TestPods pods, string forwarder) =>
        OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, new Dictionary<string, string> { ["outlier-consecutive-failures"] = "0" }, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web"),
            },
            Cancel,
            config: Compressing,
            configure: o => o with { Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean });

    private static string Gunzip(byte[] coded)
    {
        using var decoder = new GZipStream(new MemoryStream(coded), CompressionMode.Decompress);
        using var reader = new StreamReader(decoder, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
