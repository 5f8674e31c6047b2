using System.Collections.Concurrent;
using System.Diagnostics;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Telemetry.AccessLog;
using OneHop.Core.Telemetry.Tracing;
using OneHop.IntegrationTests.Support;
using OpenTelemetry;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Http.Tracing;

/// <summary>Spans of a real OneHop, read from its exporter, against the traceparent a real pod receives.</summary>
[Collection(nameof(TraceListeners))]
public sealed class TracingTests
{
    private const string ClientTraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string ClientSpanId = "b7ad6b7169203331";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_and_each_attempt_get_a_span_and_the_pod_gets_the_attempts_traceparent()
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        var exporter = new CollectingExporter();
        var file = Path.Combine(Path.GetTempPath(), $"onehop-access-{Guid.NewGuid():N}.log");
        var received = new List<string>();
        try
        {
            await using (var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string>
                {
                    ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, new Dictionary<string, string> { ["outlier-consecutive-failures"] = "0" }, [.. pods.All.Select(Endpoint.Ready)])
                        + Ingress("site", ("www.example.com", "/", "Prefix", "web")),
                },
                Cancel,
                configure: o => o with
                {
                    Tracing = new TracingOptions(new Uri("http://127.0.0.1:1")),
                    TraceExporter = exporter,
                    AccessLog = new AccessLogTarget(file),
                }))
            {
                // web-0 is gone: a request that tried it first was retried on web-1.
                await pods.StopAsync("web-0");
                for (var i = 0; i < 12; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/headers") { Headers = { Host = "www.example.com" } };
                    request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-01");
                    request.Headers.TryAddWithoutValidation("tracestate", "vendor=abc");
                    using var response = await onehop.Proxy.SendAsync(request, Cancel);
                    Assert.Equal(200, (int)response.StatusCode);
                    var headers = (await response.Content.ReadAsStringAsync(Cancel)).Split('\n');
                    received.Add(Assert.Single(headers, h => h.StartsWith("traceparent: ", StringComparison.OrdinalIgnoreCase))["traceparent: ".Length..]);
                    Assert.Contains("tracestate: vendor=abc", headers);
                }

                var lines = await AccessLog.AccessLogTests.LinesAsync(file, 12);
                Assert.All(lines, l => Assert.Equal(ClientTraceId, l.GetProperty("trace_id").GetString()));
            }

            // Disposing OneHop flushed its spans.
            var spans = exporter.Spans.ToList();
            var servers = spans.Where(s => s.Kind == ActivityKind.Server).ToList();
            Assert.Equal(12, servers.Count);
            Assert.All(servers, s =>
            {
                Assert.Equal(ClientTraceId, s.TraceId.ToHexString());
                Assert.Equal(ClientSpanId, s.ParentSpanId.ToHexString());
                Assert.Equal("GET /", s.DisplayName);
                Assert.Equal(200, s.GetTagItem("http.response.status_code"));
                Assert.Equal("/", s.GetTagItem("http.route"));
                Assert.Equal("Ingress default/site spec.rules[0].http.paths[0]", s.GetTagItem("onehop.route"));
                Assert.Equal("www.example.com", s.GetTagItem("server.address"));
            });

            var attempts = spans.Where(s => s.Kind == ActivityKind.Client).ToList();
            Assert.All(attempts, a => Assert.Contains(servers, s => s.SpanId == a.ParentSpanId));

            // What each pod received is the id of the attempt that carried the request: the answering pod's, web-1.
            var answered = attempts.Where(a => (string?)a.GetTagItem("k8s.pod.name") == "web-1").ToList();
            Assert.Equal(12, answered.Count);
            Assert.Equal(answered.Select(a => $"00-{ClientTraceId}-{a.SpanId.ToHexString()}-01").Order(), received.Order());

            var failed = attempts.Where(a => (string?)a.GetTagItem("k8s.pod.name") == "web-0").ToList();
            Assert.NotEmpty(failed);
            Assert.All(failed, a =>
            {
                Assert.Null(a.GetTagItem("http.response.status_code"));
                Assert.Equal("ConnectRefused", a.GetTagItem("error.type"));
                Assert.Equal(ActivityStatusCode.Error, a.Status);
            });
            var retried = answered.Where(a => a.GetTagItem("http.request.resend_count") is 1).ToList();
            Assert.Equal(failed.Count, retried.Count);
            Assert.All(answered.Except(retried), a => Assert.Null(a.GetTagItem("http.request.resend_count")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_unreachable_collector_fails_no_request_and_is_counted()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods.Port, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web") },
            Cancel,
            configure: o => o with { Tracing = new TracingOptions(new Uri($"http://{LoopbackAddresses.Next()}:9")) });
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await onehop.GetAsync("/", Cancel)).Status);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"20 requests took {clock.Elapsed}");

        // Export goes on in the background while requests are served; /api/status says where spans go.
        var tracing = (await onehop.StatusAsync(Cancel)).GetProperty("tracing");
        Assert.EndsWith(":9/v1/traces", tracing.GetProperty("endpoint").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, tracing.GetProperty("exportedSpans").GetInt64());
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await onehop.GetAsync("/", Cancel)).Status);
        }
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_request_under_an_unsampled_parent_records_no_span_and_passes_the_clients_trace_on_as_sent(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var exporter = new CollectingExporter();
        var file = Path.Combine(Path.GetTempPath(), $"onehop-access-{Guid.NewGuid():N}.log");
        try
        {
            await using (var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods.Port, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web") },
                Cancel,
                configure: o => o with { Tracing = new TracingOptions(new Uri("http://127.0.0.1:1"), SampleRatio: 1), TraceExporter = exporter, AccessLog = new AccessLogTarget(file), Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean }))
            {
                // The client's sampler left the trace out: OneHop makes no span (parent-based), so the pod gets the client's
                // traceparent, sampled flag unset, and tracestate as sent (W3C Trace Context: a participant that records
                // nothing passes the parent on unchanged). Even at ratio 1, which samples every request without a parent.
                using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
                request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-00");
                request.Headers.TryAddWithoutValidation("tracestate", "vendor=abc");
                using var response = await onehop.Proxy.SendAsync(request, Cancel);
                var headers = (await response.Content.ReadAsStringAsync(Cancel)).Split('\n').Select(h => h.Trim()).ToList();
                Assert.Equal($"00-{ClientTraceId}-{ClientSpanId}-00", Assert.Single(headers, h => h.StartsWith("traceparent: ", StringComparison.OrdinalIgnoreCase))["traceparent: ".Length..]);
                Assert.Equal("vendor=abc", Assert.Single(headers, h => h.StartsWith("tracestate: ", StringComparison.OrdinalIgnoreCase))["tracestate: ".Length..]);

                // The access log still names the trace.
                var line = Assert.Single(await AccessLog.AccessLogTests.LinesAsync(file, 1));
                Assert.Equal(ClientTraceId, line.GetProperty("trace_id").GetString());
            }

            // Disposing OneHop flushed its spans: there were none.
            Assert.Empty(exporter.Spans);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_request_without_a_parent_that_the_ratio_leaves_out_gets_no_span_and_passes_no_trace_on_but_a_sampled_parent_is_followed()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var exporter = new CollectingExporter();
        await using (var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods.Port, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web") },
            Cancel,
            configure: o => o with { Tracing = new TracingOptions(new Uri("http://127.0.0.1:1"), SampleRatio: 0), TraceExporter = exporter }))
        {
            for (var i = 0; i < 5; i++)
            {
                using var response = await onehop.Proxy.GetAsync("/headers", Cancel);
                Assert.DoesNotContain("traceparent:", await response.Content.ReadAsStringAsync(Cancel), StringComparison.OrdinalIgnoreCase);
            }

            using var sampled = new HttpRequestMessage(HttpMethod.Get, "/headers");
            sampled.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-01");
            using var traced = await onehop.Proxy.SendAsync(sampled, Cancel);
            Assert.Contains($"traceparent: 00-{ClientTraceId}-", await traced.Content.ReadAsStringAsync(Cancel), StringComparison.OrdinalIgnoreCase);
        }

        // Disposing OneHop flushed its spans: the sampled request's two, none of the others'.
        Assert.All(exporter.Spans, span => Assert.Equal(ClientTraceId, span.TraceId.ToHexString()));
        Assert.Equal([ActivityKind.Server, ActivityKind.Client], exporter.Spans.Select(s => s.Kind).Order());
    }

    /// <summary>
    /// ingress-nginx's per-Ingress tracing: enable-opentelemetry: "false" leaves one Ingress's requests without spans and
    /// its pods with the client's trace; opentelemetry-trust-incoming-span: "false" starts OneHop's own trace for
    /// another, whatever the client sent or decided, and its pods never see the client's trace.
    /// </summary>
    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task An_ingress_can_turn_tracing_off_or_distrust_the_clients_span(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var exporter = new CollectingExporter();
        var received = new Dictionary<string, List<string>>();
        await using (var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + Service("web", pods.Port, [.. pods.All.Select(Endpoint.Ready)])
                    + NginxIngress("traced", "traced.example.org", "web")
                    + NginxIngress("quiet", "quiet.example.org", "web", annotations: "enable-opentelemetry: \"false\"")
                    + NginxIngress("untrusting", "untrusting.example.org", "web", annotations: "opentelemetry-trust-incoming-span: \"false\""),
            },
            Cancel,
            configure: o => o with { Tracing = new TracingOptions(new Uri("http://127.0.0.1:1"), SampleRatio: 1), TraceExporter = exporter, Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean }))
        {
            foreach (var (host, sampled) in new[] { ("traced", "01"), ("quiet", "01"), ("untrusting", "01"), ("untrusting", "00") })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/headers") { Headers = { Host = host + ".example.org" } };
                request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-{sampled}");
                request.Headers.TryAddWithoutValidation("tracestate", "vendor=abc");
                using var response = await onehop.Proxy.SendAsync(request, Cancel);
                Assert.Equal(200, (int)response.StatusCode);
                var lines = (await response.Content.ReadAsStringAsync(Cancel)).Split('\n').Select(h => h.Trim()).Where(h => h.StartsWith("trace", StringComparison.OrdinalIgnoreCase));
                received.TryAdd(host, []);
                received[host].AddRange(lines.Select(l => l.ToLowerInvariant()));
            }
        }

        var servers = exporter.Spans.Where(s => s.Kind == ActivityKind.Server).ToList();
        Assert.DoesNotContain(servers, s => (string?)s.GetTagItem("server.address") == "quiet.example.org");
        Assert.Equal([$"traceparent: 00-{ClientTraceId}-{ClientSpanId}-01", "tracestate: vendor=abc"], received["quiet"].Order());

        var traced = Assert.Single(servers, s => (string?)s.GetTagItem("server.address") == "traced.example.org");
        Assert.Equal((ClientTraceId, ClientSpanId), (traced.TraceId.ToHexString(), traced.ParentSpanId.ToHexString()));
        Assert.Contains($"traceparent: 00-{ClientTraceId}-", Assert.Single(received["traced"], l => l.StartsWith("traceparent", StringComparison.Ordinal)), StringComparison.Ordinal);

        // Both untrusted requests are roots of OneHop's own traces, the client's unsampled one too; the pod gets them.
        var untrusted = servers.Where(s => (string?)s.GetTagItem("server.address") == "untrusting.example.org").ToList();
        Assert.Equal(2, untrusted.Count);
        Assert.All(untrusted, s => Assert.Equal((default, null), (s.ParentSpanId, s.TraceStateString)));
        Assert.DoesNotContain(untrusted, s => s.TraceId.ToHexString() == ClientTraceId);
        Assert.Equal(untrusted.Select(s => s.TraceId.ToHexString()).Order(), received["untrusting"].Select(l => l.Split('-')[1]).Order());
        Assert.All(received["untrusting"], l => Assert.StartsWith("traceparent: 00-", l, StringComparison.Ordinal));
    }

    /// <summary>ingress-nginx's opentelemetry-operation-name: the controller ConfigMap's, filled in per request, or an Ingress's own word.</summary>
    [Fact]
    public async Task Request_spans_are_named_as_the_configmap_or_the_ingress_says()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var exporter = new CollectingExporter();
        var map = new Core.State.ObjectKey("ingress-nginx", "ingress-nginx-controller");
        await using (var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + Service("web", pods.Port, [.. pods.All.Select(Endpoint.Ready)])
                    + NginxIngress("shop", "shop.example.org", "web")
                    + NginxIngress("named", "named.example.org", "web", annotations: "opentelemetry-operation-name: checkout"),
                ["controller.yaml"] = NginxControllerMap(map, "opentelemetry-operation-name: \"HTTP $request_method $service_name $uri\""),
            },
            Cancel,
            configure: o => o with { Tracing = new TracingOptions(new Uri("http://127.0.0.1:1"), SampleRatio: 1), TraceExporter = exporter, NginxConfigMap = map }))
        {
            Assert.Equal(200, (await onehop.GetAsync("/cart/items?id=1", Cancel, host: "shop.example.org")).Status);
            Assert.Equal(200, (await onehop.GetAsync("/pay", Cancel, host: "named.example.org")).Status);
        }

        var names = exporter.Spans.Where(s => s.Kind == ActivityKind.Server).ToDictionary(s => (string)s.GetTagItem("server.address")!, s => s.DisplayName);
        Assert.Equal("HTTP GET web /cart/items", names["shop.example.org"]);
        Assert.Equal("checkout", names["named.example.org"]);
    }

    [Fact]
    public async Task With_tracing_off_the_clients_traceparent_reaches_the_pod_as_sent()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods.Port, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web") },
            Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{ClientTraceId}-{ClientSpanId}-01");
        using var response = await onehop.Proxy.SendAsync(request, Cancel);

        Assert.Contains($"traceparent: 00-{ClientTraceId}-{ClientSpanId}-01", await response.Content.ReadAsStringAsync(Cancel), StringComparison.OrdinalIgnoreCase);
        Assert.False((await onehop.StatusAsync(Cancel)).TryGetProperty("tracing", out _));
    }

    /// <summary>Keeps every exported span.</summary>
    internal sealed class CollectingExporter : BaseExporter<Activity>
    {
        public ConcurrentQueue<Activity> Spans { get; } = new();

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                Spans.Enqueue(span);
            }

            return ExportResult.Success;
        }
    }
}
