using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Admin;

public sealed class AdminApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_readiness_routes_status_and_metrics_describe_the_live_proxy()
    {
        await using var web = await TestPods.StartAsync("web", 2, Cancel);
        var otherClass = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: someone-else
            spec:
              ingressClassName: nginx
              rules: [{host: x.example.com}]
            """;
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", web) + Ingress("site", ("www.example.com", "/", "Prefix", "web")) + otherClass },
            Cancel);

        Assert.Equal(HttpStatusCode.OK, (await onehop.Admin.GetAsync("/healthz", Cancel)).StatusCode);
        Assert.Equal("ready\n", await onehop.Admin.GetStringAsync("/readyz", Cancel));

        var routes = await onehop.Admin.GetFromJsonAsync<JsonElement>("/api/routes", Cancel);
        var route = routes.GetProperty("routes").EnumerateArray().Single();
        Assert.Equal("default/web:80", route.GetProperty("backendId").GetString());
        Assert.Equal(2, routes.GetProperty("backends")[0].GetProperty("endpoints").GetArrayLength());
        Assert.Equal(routes.GetProperty("version").GetInt64(), routes.GetProperty("appliedVersion").GetInt64());

        var status = await onehop.StatusAsync(Cancel);
        Assert.True(status.GetProperty("ready").GetBoolean());
        Assert.Contains(status.GetProperty("sources").EnumerateArray(), s => s.GetProperty("name").GetString() == "manifests" && s.GetProperty("synced").GetBoolean());
        var ignored = status.GetProperty("ignored").EnumerateArray().Single();
        Assert.Equal("someone-else", ignored.GetProperty("object").GetProperty("name").GetString());
        Assert.Contains("nginx", ignored.GetProperty("reason").GetString(), StringComparison.Ordinal);

        for (var i = 0; i < 10; i++)
        {
            await onehop.GetAsync("/", Cancel, host: "www.example.com");
        }

        Assert.Equal(404, (await onehop.GetAsync("/", Cancel, host: "x.example.com")).Status);
        var metrics = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        var served = metrics.Split('\n')
            .Where(l => l.StartsWith("http_client_request_duration_seconds_count{", StringComparison.Ordinal) && l.Contains("service=\"default/web:80\"", StringComparison.Ordinal))
            .ToList();
        Assert.All(served, l => Assert.Contains("http_response_status_code=\"200\"", l, StringComparison.Ordinal));
        Assert.Equal(10, served.Sum(l => double.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture)));
        // Series are labelled by pod name (the EndpointSlice's targetRef), whichever pods balancing chose.
        Assert.All(served, l => Assert.Matches("pod=\"web-[01]\"", l));
        Assert.Contains("onehop_http_no_route_total{} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("http_client_request_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("http_client_active_requests{", metrics, StringComparison.Ordinal);
        Assert.Contains("onehop_snapshot_builds_total{result=\"success\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("onehop_snapshot_apply_duration_seconds_count", metrics, StringComparison.Ordinal);
        Assert.Contains("onehop_source_synced{source=\"manifests\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gauge_series_of_removed_pods_disappear_and_their_attempt_counts_stay()
    {
        await using var web = await TestPods.StartAsync("web", 2, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["class.yaml"] = DefaultClass + Ingress("site", "/", "web"), ["web.yaml"] = Service("web", web) },
            Cancel);
        for (var i = 0; i < 20; i++)
        {
            await onehop.GetAsync("/", Cancel);
        }

        var before = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        Assert.Contains(before.Split('\n'), l => l.StartsWith("http_client_active_requests{", StringComparison.Ordinal) && l.Contains("pod=\"web-1\"", StringComparison.Ordinal));

        await onehop.WriteManifestAsync("web.yaml", Service("web", web.Port, Endpoint.Ready(web["web-0"])), Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => !(await onehop.Admin.GetStringAsync("/metrics", Cancel)).Split('\n')
                .Any(l => l.StartsWith("http_client_active_requests{", StringComparison.Ordinal) && l.Contains("pod=\"web-1\"", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5),
            "web-1's in-flight series to go",
            Cancel);

        // A cumulative histogram cannot forget a series (docs/metrics.md: capped, not pruned): web-1's attempts still count.
        Assert.Contains((await onehop.Admin.GetStringAsync("/metrics", Cancel)).Split('\n'), l => l.StartsWith("http_client_request_duration_seconds_count{", StringComparison.Ordinal) && l.Contains("pod=\"web-1\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Certificates_in_use_are_listed_with_their_hosts_and_expiry_and_exported_as_a_metric()
    {
        using var ca = new TestCertificates();
        await using var foo = await TestPods.StartAsync("foo", 1, Cancel);
        await using var wild = await TestPods.StartAsync("wild", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(Tls.SniTests.Manifests(ca, foo, wild), Cancel, https: true);

        var document = await onehop.Admin.GetFromJsonAsync<JsonElement>("/api/certificates", Cancel);
        var certificates = document.GetProperty("certificates").EnumerateArray().ToList();
        var fooTls = certificates.Single(c => c.GetProperty("id").GetString() == "Secret default/foo-tls");
        Assert.Equal(["foo.bar.com"], fooTls.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal("CN=foo.bar.com", fooTls.GetProperty("subject").GetString());
        Assert.True(fooTls.GetProperty("notAfter").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Contains(certificates, c => c.GetProperty("id").GetString() == "Secret default/wild-tls");
        var fallback = Assert.Single(certificates, c => c.GetProperty("isDefault").GetBoolean());
        Assert.Equal("built-in", fallback.GetProperty("id").GetString());

        var metrics = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        var line = Assert.Single(metrics.Split('\n'), l => l.StartsWith("onehop_tls_certificate_expiry_timestamp_seconds{", StringComparison.Ordinal) && l.Contains("certificate=\"Secret default/foo-tls\"", StringComparison.Ordinal));
        var expiry = DateTimeOffset.FromUnixTimeSeconds((long)double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(fooTls.GetProperty("notAfter").GetDateTimeOffset().ToUnixTimeSeconds(), expiry.ToUnixTimeSeconds());
    }
}
