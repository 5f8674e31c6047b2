using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteRequestMirror, HTTPRouteRequestMultipleMirrors and HTTPRouteRequestPercentageMirror as the suite's cases ask
/// (conformance/tests/httproute-request-*mirror*.go, the backends our own): each mirror pod receives a copy of the request
/// after the route's header modifier, the main pod answers, and a slow or missing mirror never delays or fails it.
/// </summary>
public sealed class HttpRouteRequestMirrorTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_mirror_gets_a_copy_after_the_header_modifier_and_a_slow_mirror_never_delays_the_answer()
    {
        await using var main = await Pod.StartAsync("main-0", TimeSpan.Zero);
        await using var v2 = await Pod.StartAsync("v2-0", TimeSpan.FromSeconds(3));
        await using var v3 = await Pod.StartAsync("v3-0", TimeSpan.Zero);
        await using var half = await Pod.StartAsync("half-0", TimeSpan.Zero);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        var manifests = new Dictionary<string, string>
        {
            ["gateway.yaml"] = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: onehop}
                spec: {controllerName: onehop.dev/gateway-controller}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: edge}
                spec: {gatewayClassName: onehop, listeners: [{name: http, port: 8080, protocol: HTTP}]}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: mirrors}
                spec:
                  parentRefs: [{name: edge}]
                  rules:
                  - matches: [{path: {type: PathPrefix, value: /mirror-and-modify-headers}}]
                    filters:
                    - type: RequestHeaderModifier
                      requestHeaderModifier: {set: [{name: X-Header-Set, value: set-overwrites-values}], remove: [X-Header-Remove]}
                    - {type: RequestMirror, requestMirror: {backendRef: {name: v2, port: 80}}}
                    - {type: RequestMirror, requestMirror: {backendRef: {name: v3, port: 80}}}
                    backendRefs: [{name: main, port: 80}]
                  - matches: [{path: {type: PathPrefix, value: /half}}]
                    filters:
                    - {type: RequestMirror, requestMirror: {backendRef: {name: half, port: 80}, fraction: {numerator: 1, denominator: 2}}}
                    - {type: RequestMirror, requestMirror: {backendRef: {name: missing, port: 80}}}
                    backendRefs: [{name: main, port: 80}]
                """,
            ["main.yaml"] = Yaml.Service("main", main.Port, main.Ready()),
            ["v2.yaml"] = Yaml.Service("v2", v2.Port, v2.Ready()),
            ["v3.yaml"] = Yaml.Service("v3", v3.Port, v3.Ready()),
            ["half.yaml"] = Yaml.Service("half", half.Port, half.Ready()),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { GatewayAddresses = [address] });
        using var client = new HttpClient { BaseAddress = new Uri($"http://{address}:8080") };
        await OneHopInstance.EventuallyAsync(() => AnswersOkAsync(client, "/half/warmup"), TimeSpan.FromSeconds(10), "the Gateway port to serve", Cancel);
        half.Seen.Clear();
        main.Seen.Clear();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/mirror-and-modify-headers/x?q=1");
        request.Headers.Add("X-Header-Remove", "gone");
        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, Cancel);
        watch.Stop();

        Assert.Equal("main-0", await response.Content.ReadAsStringAsync(Cancel));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the answer took {watch.Elapsed}: the slow mirror (3 s) must not delay it");
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(!v2.Seen.IsEmpty && !v3.Seen.IsEmpty), TimeSpan.FromSeconds(10), "both mirrors to get their copy", Cancel);
        foreach (var mirror in new[] { v2, v3 })
        {
            var seen = Assert.Single(mirror.Seen);
            Assert.Equal(("/mirror-and-modify-headers/x?q=1", "set-overwrites-values", null, $"{address}:8080"), (seen.Target, seen.HeaderSet, seen.HeaderRemove, seen.Host));
        }

        Assert.Equal(["/mirror-and-modify-headers/x?q=1"], main.Seen.Select(s => s.Target));

        // A fraction of 1/2, and a mirror whose Service does not exist: the main pod answers every request.
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal("main-0", await client.GetStringAsync($"/half/{i}", Cancel));
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);
        Assert.InRange(half.Seen.Count, 6, 34);
    }

    [Fact]
    public async Task A_request_whose_body_has_no_length_is_not_mirrored_without_its_body()
    {
        await using var main = await Pod.StartAsync("main-0", TimeSpan.Zero);
        await using var mirror = await Pod.StartAsync("mirror-0", TimeSpan.Zero);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        var manifests = new Dictionary<string, string>
        {
            ["gateway.yaml"] = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: onehop}
                spec: {controllerName: onehop.dev/gateway-controller}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: edge}
                spec: {gatewayClassName: onehop, listeners: [{name: http, port: 8080, protocol: HTTP}]}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: mirrors}
                spec:
                  parentRefs: [{name: edge}]
                  rules:
                  - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: mirror, port: 80}}}]
                    backendRefs: [{name: main, port: 80}]
                """,
            ["main.yaml"] = Yaml.Service("main", main.Port, main.Ready()),
            ["mirror.yaml"] = Yaml.Service("mirror", mirror.Port, mirror.Ready()),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { GatewayAddresses = [address] });
        using var client = new HttpClient { BaseAddress = new Uri($"http://{address}:8080") };
        await OneHopInstance.EventuallyAsync(() => AnswersOkAsync(client, "/warmup"), TimeSpan.FromSeconds(10), "the Gateway port to serve", Cancel);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(mirror.Seen.Any(s => s.Target == "/warmup")), TimeSpan.FromSeconds(10), "the mirror to get the bodiless warm-up", Cancel);

        // HTTP/2 with prior knowledge (as gRPC clients speak) and a body of unknown length: no Content-Length, no chunking.
        var body = new System.IO.Pipelines.Pipe();
        await body.Writer.WriteAsync("payload"u8.ToArray(), Cancel);
        await body.Writer.CompleteAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StreamContent(body.Reader.AsStream()),
        };
        using var response = await client.SendAsync(request, Cancel);

        Assert.Null(request.Content.Headers.ContentLength);
        Assert.Equal("main-0", await response.Content.ReadAsStringAsync(Cancel));
        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);
        Assert.DoesNotContain(mirror.Seen, s => s.Target == "/upload");
    }

    /// <summary>An HTTP pod that records each request's target and headers and answers its name, after a delay.</summary>
    private sealed class Pod : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Pod(WebApplication app, string name, string address)
        {
            _app = app;
            Name = name;
            Address = address;
        }

        public string Name { get; }

        public string Address { get; }

        public int Port { get; private set; }

        public ConcurrentBag<(string Target, string? HeaderSet, string? HeaderRemove, string? Host)> Seen { get; } = [];

        public static async Task<Pod> StartAsync(string name, TimeSpan delay)
        {
            var address = LoopbackAddresses.Next();
            var app = KestrelApps.Create(address, 0);
            var pod = new Pod(app, name, address);
            app.Run(async context =>
            {
                var headers = context.Request.Headers;
                pod.Seen.Add(($"{context.Request.Path}{context.Request.QueryString}", headers["X-Header-Set"].FirstOrDefault(), headers["X-Header-Remove"].FirstOrDefault(), headers.Host.FirstOrDefault()));
                await Task.Delay(delay, context.RequestAborted);
                await context.Response.WriteAsync(name, context.RequestAborted);
            });
            pod.Port = await KestrelApps.StartAsync(app, Cancel);
            return pod;
        }

        public Yaml.Endpoint Ready() => new(Address, Name);

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    /// <summary>The Gateway's port is bound once the snapshot that declares it is applied: until then connections are refused.</summary>
    private static async Task<bool> AnswersOkAsync(HttpClient client, string path)
    {
        try
        {
            return (await client.GetAsync(path, Cancel)).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
