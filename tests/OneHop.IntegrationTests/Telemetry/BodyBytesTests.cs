using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Telemetry.AccessLog;
using OneHop.IntegrationTests.Proxy.Http.AccessLog;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Telemetry;

/// <summary>
/// The body byte counters and the access log's bytes mean the same whichever way a request goes: OneHop's own HTTP/1.1
/// forwarder, YARP's (<c>--http1-forwarder yarp</c>, and always for h2c pods), and a client speaking HTTP/2.
/// </summary>
public sealed class BodyBytesTests
{
    private const int RequestBody = 1000;
    private const string Answer = "The pod's answer, written in two pieces; ";
    private const int Repeats = 7;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    [InlineData("h2c-pod")]
    [InlineData("h2-client")]
    public async Task Every_path_counts_the_same_body_bytes_per_pod_and_in_the_access_log(string path)
    {
        var address = LoopbackAddresses.Next();
        await using var pod = KestrelApps.Create(address, 0, h2cPort: 0);
        pod.Run(async context =>
        {
            var received = 0L;
            var buffer = new byte[4096];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                received += read;
            }

            context.Response.Headers["X-Received"] = received.ToString(CultureInfo.InvariantCulture);
            await context.Response.WriteAsync(Answer, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await context.Response.WriteAsync(string.Concat(Enumerable.Repeat(Answer, Repeats)), context.RequestAborted);
        });
        await pod.StartAsync(Cancel);
        var ports = KestrelApps.Ports(pod);
        var h2c = path == "h2c-pod";
        var service = AnnotatedService("app", h2c ? ports[1] : ports[0], h2c ? new Dictionary<string, string> { ["backend-protocol"] = "h2c" } : [], new Yaml.Endpoint(address, "app-0"));
        var file = Path.Combine(Path.GetTempPath(), $"onehop-bytes-{Guid.NewGuid():N}.log");
        try
        {
            await using var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string> { ["all.yaml"] = DefaultClass + service + Ingress("site", "/", "app") },
                Cancel,
                config: path == "h2-client" ? "listeners: [{name: edge, address: \"127.0.0.1:0\", protocol: h2c}]" : null,
                configure: o => o with
                {
                    AccessLog = new AccessLogTarget(file),
                    Http1Forwarder = path == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean,
                });
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{onehop.Port("http")}") };
            var version = path == "h2-client" ? HttpVersion.Version20 : HttpVersion.Version11;
            var body = new byte[RequestBody];
            Array.Fill(body, (byte)'x');

            // One body of known length, one streamed (chunked over HTTP/1.1): neither framing is counted.
            foreach (var streamed in new[] { false, true })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/upload")
                {
                    Version = version,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                    Content = streamed ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
                };
                request.Headers.TransferEncodingChunked = streamed && version == HttpVersion.Version11;
                using var response = await client.SendAsync(request, Cancel);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(RequestBody.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("X-Received").Single());
                Assert.Equal(Answer.Length * (1 + Repeats), (await response.Content.ReadAsByteArrayAsync(Cancel)).Length);
            }

            var metrics = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
            var pod0 = new[] { ("service", "default/app:80"), ("namespace", "default"), ("pod", "app-0") };
            Assert.Equal(2 * RequestBody, metrics.Sum("onehop_http_sent_bytes_total", pod0));
            Assert.Equal(2 * Answer.Length * (1 + Repeats), metrics.Sum("onehop_http_received_bytes_total", pod0));

            var lines = await AccessLogTests.LinesAsync(file, 2);
            Assert.All(lines, line =>
            {
                Assert.Equal(RequestBody, line.GetProperty("bytes_in").GetInt64());
                Assert.Equal(Answer.Length * (1 + Repeats), line.GetProperty("bytes_out").GetInt64());
                Assert.Equal(version == HttpVersion.Version20 ? "HTTP/2" : "HTTP/1.1", line.GetProperty("protocol").GetString());
            });
        }
        finally
        {
            File.Delete(file);
        }
    }
}
