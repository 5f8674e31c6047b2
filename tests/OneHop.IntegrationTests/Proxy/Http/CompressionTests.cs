using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Proxy.Http;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>
/// Response compression on real answers through every forwarder (OneHop's HTTP/1.1 one, YARP's, an h2c pod): the coding
/// the client weighs highest among the route's, the answer decoded equal to the pod's, Vary and a weakened ETag; and the
/// answers nginx leaves alone passing as the pod sent them.
/// </summary>
public sealed class CompressionTests
{
    private static readonly string Page = string.Concat(Enumerable.Range(0, 200).Select(i => $"<p>line {i} of a page that compresses well</p>\n"));

    /// <summary>Lets the pod's second event go (one streaming test at a time: a theory's cases run one after another).</summary>
    private static TaskCompletionSource _eventGate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    [InlineData("h2c-pod")]
    public async Task Answers_are_compressed_in_the_coding_the_client_prefers_and_decode_to_the_pods_bytes(string path)
    {
        await using var setup = await StartAsync(path, "compression:\n  gzipLevel: 6\n");
        var client = setup.Client;

        using (var br = await GetAsync(client, "/on/page", "gzip, deflate, br"))
        {
            Assert.Equal(["br"], br.Content.Headers.ContentEncoding);
            Assert.Contains("Accept-Encoding", br.Headers.Vary);
            Assert.Equal("W/\"v1\"", br.Headers.ETag?.ToString());
            Assert.Empty(br.Headers.AcceptRanges);
            var coded = await br.Content.ReadAsByteArrayAsync(Cancel);

            // Kestrel writes the Content-Length of an answer it holds whole when the handler ends; never the pod's.
            Assert.True(br.Content.Headers.ContentLength is null || br.Content.Headers.ContentLength == coded.Length);
            Assert.True(coded.Length < Page.Length / 4, $"{coded.Length} bytes for {Page.Length}");
            Assert.Equal(Page, Decode("br", coded));
        }

        using (var gzip = await GetAsync(client, "/on/page", "br;q=0.5, gzip"))
        {
            Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
            Assert.Equal(Page, Decode("gzip", await gzip.Content.ReadAsByteArrayAsync(Cancel)));
        }

        using (var streamed = await GetAsync(client, "/on/chunked", "gzip"))
        {
            Assert.Equal(["gzip"], streamed.Content.Headers.ContentEncoding);
            Assert.Equal(Page + Page + Page, Decode("gzip", await streamed.Content.ReadAsByteArrayAsync(Cancel)));
        }

        // As the pod sent them: no Accept-Encoding, identity preferred, too short, another type, already coded,
        // no-transform, a status nginx does not compress, HEAD, and a route with onehop.dev/compression: "false".
        await AssertPassedAsync(client, "/on/page", null, Page, vary: true);
        await AssertPassedAsync(client, "/on/page", "gzip;q=0.4, identity", Page, vary: true);
        await AssertPassedAsync(client, "/on/page", "deflate", Page, vary: true);
        await AssertPassedAsync(client, "/on/small", "gzip, br", "<p>short</p>", vary: false);
        await AssertPassedAsync(client, "/on/image", "gzip, br", Page, vary: false);
        await AssertPassedAsync(client, "/on/notransform", "gzip, br", Page, vary: false);
        await AssertPassedAsync(client, "/on/created", "gzip, br", Page, vary: false);
        await AssertPassedAsync(client, "/off/page", "gzip, br", Page, vary: false);
        using (var coded = await GetAsync(client, "/on/encoded", "gzip, br"))
        {
            Assert.Equal(["gzip"], coded.Content.Headers.ContentEncoding);
            Assert.Equal(Page, Decode("gzip", await coded.Content.ReadAsByteArrayAsync(Cancel)));
        }

        // nginx's statuses: 403 and 404 are coded too; a 206 range is not.
        using (var forbidden = await SendAsync(client, "/on/forbidden", "gzip"))
        {
            Assert.Equal((HttpStatusCode.Forbidden, "gzip"), (forbidden.StatusCode, forbidden.Content.Headers.ContentEncoding.Single()));
            Assert.Equal(Page, Decode("gzip", await forbidden.Content.ReadAsByteArrayAsync(Cancel)));
        }

        using (var range = await SendAsync(client, "/on/range", "gzip"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
            Assert.Empty(range.Content.Headers.ContentEncoding);
        }

        // An HTTP/1.0 client (no chunked framing; ingress-nginx's gzip_http_version 1.1) gets the answer as it is.
        using (var old = new HttpRequestMessage(HttpMethod.Get, "/on/page") { Version = HttpVersion.Version10, VersionPolicy = HttpVersionPolicy.RequestVersionExact })
        {
            old.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
            using var answer = await client.SendAsync(old, Cancel);
            Assert.Empty(answer.Content.Headers.ContentEncoding);
            Assert.Equal(Page, await answer.Content.ReadAsStringAsync(Cancel));
        }

        using var head = new HttpRequestMessage(HttpMethod.Head, "/on/page");
        head.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var headAnswer = await client.SendAsync(head, Cancel);
        Assert.Empty(headAnswer.Content.Headers.ContentEncoding);
        Assert.Equal(Encoding.UTF8.GetByteCount(Page), headAnswer.Content.Headers.ContentLength);
    }

    /// <summary>
    /// A streamed answer (server-sent events) reaches the client piece by piece, not at its end, on a route that
    /// compresses: compressed (its type listed) or as it is (not listed; YARP's copier writes without flushing).
    /// </summary>
    [Theory]
    [InlineData("lean", true)]
    [InlineData("yarp", true)]
    [InlineData("lean", false)]
    [InlineData("yarp", false)]
    [InlineData("h2c-pod", false)]
    public async Task A_streamed_answer_is_flushed_as_the_pod_sends_it_compressed_or_not(string path, bool compressed)
    {
        _eventGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var setup = await StartAsync(path, compressed ? "compression: {types: [text/event-stream], minLength: 0}\n" : "compression: {}\n");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/on/events");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var answer = await setup.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        Assert.Equal(compressed ? ["gzip"] : [], answer.Content.Headers.ContentEncoding);
        var received = await answer.Content.ReadAsStreamAsync(Cancel);
        await using Stream decoded = compressed ? new GZipStream(received, CompressionMode.Decompress) : received;
        using var reader = new StreamReader(decoded);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));

        // The pod holds its second event until the test has read the first: only a flushed first event gets here.
        Assert.Equal("data: first", await reader.ReadLineAsync(deadline.Token));
        _eventGate.TrySetResult();
        Assert.Equal(string.Empty, await reader.ReadLineAsync(deadline.Token));
        Assert.Equal("data: second", await reader.ReadLineAsync(deadline.Token));
    }

    /// <summary>HTTP/2 clients: concurrent streams of one connection each get their own coding, decoded equal to the pod's answer.</summary>
    [Theory]
    [InlineData("lean")]
    [InlineData("h2c-pod")]
    public async Task Concurrent_http2_streams_each_get_the_coding_their_client_asked_for(string path)
    {
        await using var setup = await StartAsync(path, "listeners: [{name: h2, address: \"127.0.0.1:0\", protocol: h2c}]\ncompression: {}\n");
        using var h2 = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = setup.Client.BaseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        string?[] asked = ["br", "gzip", null, "gzip;q=0.5, br", "identity"];
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var acceptEncoding = asked[i % asked.Length];
            using var answer = await GetAsync(h2, "/on/page", acceptEncoding);
            Assert.Equal(2, answer.Version.Major);
            var coding = answer.Content.Headers.ContentEncoding.SingleOrDefault();
            var body = await answer.Content.ReadAsByteArrayAsync(Cancel);
            return (acceptEncoding, coding, Text: coding is null ? Encoding.UTF8.GetString(body) : Decode(coding, body));
        }));

        Assert.All(answers, a => Assert.Equal(Page, a.Text));
        Assert.All(answers, a => Assert.Equal(a.acceptEncoding switch { "gzip" => "gzip", "br" or "gzip;q=0.5, br" => "br", _ => null }, a.coding));
    }

    /// <summary>disableForUserAgents (nginx's gzip_disable): a matching client gets the answer as it is, with Vary still.</summary>
    [Fact]
    public async Task A_user_agent_refused_compression_gets_the_answer_as_it_is()
    {
        await using var setup = await StartAsync("lean", "compression: {disableForUserAgents: [\"^Old-Client/\"]}\n");
        foreach (var (agent, coded) in new[] { ("old-client/1.0", false), ("new-client/2.0", true) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/on/page");
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");
            request.Headers.TryAddWithoutValidation("User-Agent", agent);
            using var answer = await setup.Client.SendAsync(request, Cancel);
            Assert.Equal(coded ? ["br"] : [], answer.Content.Headers.ContentEncoding);
            Assert.Contains("Accept-Encoding", answer.Headers.Vary);
        }
    }

    [Fact]
    public async Task A_pod_that_cuts_its_answer_short_leaves_the_client_a_broken_answer_not_a_complete_one()
    {
        await using var setup = await StartAsync("lean", "compression: {}\n");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/on/cut");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var failed = false;
        try
        {
            using var answer = await setup.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
            Decode("gzip", await answer.Content.ReadAsByteArrayAsync(Cancel));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException)
        {
            failed = true;
        }

        Assert.True(failed, "a cut answer was delivered whole");
    }

    [Fact]
    public async Task Ingress_nginx_use_gzip_compresses_every_ingress_with_its_types_for_the_client_s_own_accept_encoding()
    {
        var map = new Core.State.ObjectKey("ingress-nginx", "ingress-nginx-controller");
        // proxy-set-headers sends the pods Accept-Encoding: identity (so they never compress themselves): the coding still
        // answers the client's own Accept-Encoding.
        var requestHeaders = """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: request-headers, namespace: ingress-nginx}
            data: {Accept-Encoding: identity}
            """;
        await using var setup = await StartAsync("lean", config: null, map, NginxControllerMap(map, "use-gzip: \"true\"", "gzip-types: \"image/png\"", "proxy-set-headers: ingress-nginx/request-headers") + requestHeaders);
        using (var image = await GetAsync(setup.Client, "/on/image", "gzip, br"))
        {
            Assert.Equal(["gzip"], image.Content.Headers.ContentEncoding);
            Assert.Equal(Page, Decode("gzip", await image.Content.ReadAsByteArrayAsync(Cancel)));
        }

        // text/html always, as nginx; text/plain is not in this gzip-types.
        using (var page = await GetAsync(setup.Client, "/on/page", "gzip, br"))
        {
            Assert.Equal(["gzip"], page.Content.Headers.ContentEncoding);
        }

        await AssertPassedAsync(setup.Client, "/on/chunked", "gzip, br", Page + Page + Page, vary: false);
    }

    private static async Task AssertPassedAsync(HttpClient client, string target, string? acceptEncoding, string body, bool vary)
    {
        using var answer = await GetAsync(client, target, acceptEncoding);
        Assert.Empty(answer.Content.Headers.ContentEncoding);
        Assert.Equal(body, await answer.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(vary, answer.Headers.Vary.Contains("Accept-Encoding"));
    }

    /// <summary>A GET whatever its status.</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string target, string acceptEncoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return client.SendAsync(request, Cancel);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string target, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target) { Version = client.DefaultRequestVersion, VersionPolicy = client.DefaultVersionPolicy };
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        var answer = await client.SendAsync(request, Cancel);
        Assert.True(answer.IsSuccessStatusCode || answer.StatusCode == HttpStatusCode.Created, $"{target}: {answer.StatusCode}");
        return answer;
    }

    private static string Decode(string coding, byte[] body)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static async Task<Setup> StartAsync(string path, string? config, Core.State.ObjectKey? map = null, string? mapYaml = null)
    {
        var address = LoopbackAddresses.Next();
        var pod = KestrelApps.Create(address, 0, h2cPort: 0);
        pod.Run(ServeAsync);
        await pod.StartAsync(Cancel);
        var ports = KestrelApps.Ports(pod);
        var h2c = path == "h2c-pod";
        var service = AnnotatedService("app", h2c ? ports[1] : ports[0], h2c ? new Dictionary<string, string> { ["backend-protocol"] = "h2c" } : [], new Yaml.Endpoint(address, "app-0"));
        var manifests = new Dictionary<string, string>
        {
            ["all.yaml"] = DefaultClass + service + Ingress("on", "/on", "app") + OffIngress,
        };
        if (mapYaml is not null)
        {
            manifests["controller.yaml"] = mapYaml;
        }

        var onehop = await OneHopInstance.StartAsync(
            manifests,
            Cancel,
            config: config,
            configure: o => o with { Http1Forwarder = path == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean, NginxConfigMap = map });
        var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri($"http://127.0.0.1:{onehop.Port("http")}") };
        return new Setup(pod, onehop, client);
    }

    private const string OffIngress = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: off
          annotations: {"onehop.dev/compression": "false"}
        spec:
          rules:
            - http:
                paths:
                  - {path: /off, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}

        """;

    /// <summary>The pod: a page with a strong ETag, and the answers nginx's rules leave alone.</summary>
    private static async Task ServeAsync(HttpContext context)
    {
        var response = context.Response;
        var name = context.Request.Path.Value![(context.Request.Path.Value!.LastIndexOf('/') + 1)..];
        var bytes = Encoding.UTF8.GetBytes(Page);
        response.ContentType = "text/html; charset=utf-8";
        switch (name)
        {
            case "page":
                response.Headers.ETag = "\"v1\"";
                response.Headers.AcceptRanges = "bytes";
                break;
            case "chunked":
                response.ContentType = "text/plain";
                for (var i = 0; i < 3; i++)
                {
                    await response.Body.WriteAsync(bytes, context.RequestAborted);
                    await response.Body.FlushAsync(context.RequestAborted);
                }

                return;
            case "small":
                bytes = "<p>short</p>"u8.ToArray();
                break;
            case "image":
                response.ContentType = "image/png";
                break;
            case "notransform":
                response.Headers.CacheControl = "public, no-transform";
                break;
            case "forbidden":
                response.StatusCode = StatusCodes.Status403Forbidden;
                break;
            case "range":
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes 0-{bytes.Length - 1}/{bytes.Length * 2}";
                break;
            case "created":
                response.StatusCode = StatusCodes.Status201Created;
                break;
            case "encoded":
                using (var buffer = new MemoryStream())
                {
                    using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        gzip.Write(bytes);
                    }

                    bytes = buffer.ToArray();
                }

                response.Headers.ContentEncoding = "gzip";
                break;
            case "events":
                response.ContentType = "text/event-stream";
                await response.WriteAsync("data: first\n\n", context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
                await _eventGate.Task.WaitAsync(TimeSpan.FromSeconds(10), context.RequestAborted);
                await response.WriteAsync("data: second\n\n", context.RequestAborted);
                return;
            case "cut":
                response.ContentLength = bytes.Length * 2L;
                await response.Body.WriteAsync(bytes, context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                return;
        }

        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private sealed record Setup(WebApplication Pod, OneHopInstance OneHop, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await OneHop.DisposeAsync();
            await Pod.DisposeAsync();
        }
    }
}
