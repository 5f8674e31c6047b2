using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.Ingresses.Nginx.NginxManifests;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>mirror-target</c>, <c>mirror-host</c> and <c>mirror-request-body</c> through a real OneHop adopting
/// the <c>nginx</c> class: copies reach a Service's pods by its cluster DNS name and a plain upstream by address, with the
/// target and Host ingress-nginx gives them, and the main pod answers without waiting for a slow mirror.
/// </summary>
public sealed class NginxMirrorEndToEndTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Copies_reach_the_service_s_pods_and_an_outside_upstream_with_ingress_nginx_s_target_and_host()
    {
        await using var main = await Recorder.StartAsync("main-0", TimeSpan.Zero);
        await using var shadow = await Recorder.StartAsync("shadow-0", TimeSpan.FromSeconds(3));
        await using var outside = await Recorder.StartAsync("outside", TimeSpan.Zero);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["class.yaml"] = IngressClass,
                ["main.yaml"] = Yaml.Service("main", main.Port, main.Ready()),
                ["shadow.yaml"] = Yaml.Service("shadow", shadow.Port, shadow.Ready()),
                ["ingresses.yaml"] = Yaml.NginxIngress("to-service", "svc.mirror.test", "main", ingressClass: "nginx", annotations: "mirror-target: \"http://shadow.default.svc.cluster.local$request_uri\"")
                    + Yaml.NginxIngress("to-outside", "out.mirror.test", "main", ingressClass: "nginx", annotations: [$"mirror-target: \"http://{outside.Address}:{outside.Port}/copy$uri?from=$host\"", "mirror-host: test.env.com", "mirror-request-body: \"off\""]),
            },
            Cancel,
            configure: o => o with { AdoptIngressNginx = true });
        var client = onehop.Proxy;
        await OneHopInstance.EventuallyAsync(async () => await AnswerAsync(client, HttpMethod.Get, "svc.mirror.test", "/warmup") == "main-0", TimeSpan.FromSeconds(10), "the Ingress to be served", Cancel);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(!shadow.Seen.IsEmpty), TimeSpan.FromSeconds(10), "the warm-up copy", Cancel);
        shadow.Seen.Clear();

        var watch = Stopwatch.StartNew();
        var answer = await AnswerAsync(client, HttpMethod.Get, "svc.mirror.test", "/a/b?q=1");
        watch.Stop();
        var posted = await AnswerAsync(client, HttpMethod.Post, "svc.mirror.test", "/upload", "payload");
        var copied = await AnswerAsync(client, HttpMethod.Post, "out.mirror.test", "/form?x=1", "payload");

        Assert.Equal(("main-0", "main-0", "main-0"), (answer, posted, copied));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the answer took {watch.Elapsed}: the slow mirror (3 s) must not delay it");
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(!shadow.Seen.IsEmpty && !outside.Seen.IsEmpty), TimeSpan.FromSeconds(10), "both mirrors to get their copy", Cancel);
        await Task.Delay(TimeSpan.FromMilliseconds(300), Cancel);

        // mirror-request-body on (the default): the POST is not mirrored, since OneHop never buffers a body for a copy.
        Assert.Equal([("GET", "/a/b?q=1", "shadow.default.svc.cluster.local", 0)], shadow.Seen);
        // off: mirrored without its body; $uri and $host filled in; the Host is mirror-host.
        Assert.Equal([("POST", "/copy/form?from=out.mirror.test", "test.env.com", 0)], outside.Seen);
        Assert.Contains(main.Seen, s => s == ("POST", "/form?x=1", "out.mirror.test", 7));
    }


    private static async Task<string> AnswerAsync(HttpClient client, HttpMethod method, string host, string target, string? body = null)
    {
        using var request = new HttpRequestMessage(method, target) { Content = body is null ? null : new StringContent(body) };
        request.Headers.Host = host;
        try
        {
            using var response = await client.SendAsync(request, Cancel);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync(Cancel) : $"{(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>An HTTP server on loopback that records each request's method, target, Host and body length, and answers its name after a delay.</summary>
    private sealed class Recorder : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Recorder(WebApplication app, string address)
        {
            _app = app;
            Address = address;
        }

        public string Address { get; }

        public int Port { get; private set; }

        public ConcurrentQueue<(string Method, string Target, string? Host, int BodyLength)> Seen { get; } = [];

        public static async Task<Recorder> StartAsync(string name, TimeSpan delay)
        {
            var address = LoopbackAddresses.Next();
            var app = KestrelApps.Create(address, 0);
            var recorder = new Recorder(app, address);
            app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                recorder.Seen.Enqueue((context.Request.Method, $"{context.Request.Path}{context.Request.QueryString}", context.Request.Headers.Host.FirstOrDefault(), (int)body.Length));
                await Task.Delay(delay, context.RequestAborted);
                await context.Response.WriteAsync(name, context.RequestAborted);
            });
            recorder.Port = await KestrelApps.StartAsync(app, Cancel);
            return recorder;
        }

        public Yaml.Endpoint Ready() => new(Address, "pod-" + Port);

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
