using System.Globalization;
using k8s.Models;
using KubeApiTestServer;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.KubeObjects;

namespace OneHop.IntegrationTests.Sources.Kubernetes;

/// <summary>
/// OneHop fed by a real list+watch against the protocol-faithful API test server, routing to pods with private
/// addresses in a network namespace of the test's own.
/// </summary>
public sealed class KubernetesSourceTests(PodNamespaceFixture fixture) : IClassFixture<PodNamespaceFixture>
{
    private const string Host = "shop.example.com";

    /// <summary>
    /// Service, EndpointSlice, Ingress, IngressClass, Secret (two lists: TLS, and Opaque for htpasswd files), Node,
    /// Namespace, the ten Gateway API kinds and the ConfigMaps holding a CA bundle for BackendTLSPolicies (no ConfigMap
    /// is named; Pods only with the readiness gate).
    /// </summary>
    private const int WatchedKinds = 19;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Objects_created_through_the_api_route_traffic_end_to_end()
    {
        var (api, _) = await StartAsync(["web-0", "web-1"]);
        await using var server = api;
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);

        Assert.Equal(["web-0", "web-1"], await ServedAsync(onehop));
        var status = await onehop.StatusAsync(Cancel);
        var source = status.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "kubernetes");
        Assert.Equal(WatchedKinds, source.GetProperty("kinds").GetArrayLength());
        Assert.All(source.GetProperty("kinds").EnumerateArray(), k => Assert.True(k.GetProperty("synced").GetBoolean()));
    }

    [Fact]
    public async Task Scaling_an_endpoint_slice_up_and_down_reroutes()
    {
        var (api, pods) = await StartAsync(["web-0"]);
        await using var _ = api;
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);
        Assert.Equal(["web-0"], await ServedAsync(onehop));

        api.Upsert(Slice("web", pods, ["web-0", "web-1", "web-2"]));
        await EventuallyServedAsync(onehop, ["web-0", "web-1", "web-2"]);

        api.Upsert(Slice("web", pods, ["web-2"]));
        await EventuallyServedAsync(onehop, ["web-2"]);
    }

    [Fact]
    public async Task The_client_run_builds_lists_and_watches_with_its_reads_on_the_thread_pool()
    {
        var (api, pods) = await StartAsync(["web-0"]);
        await using var _ = api;
        using var client = OneHop.Core.Sources.Kubernetes.KubernetesConnection.NewClient(api.CreateClientConfiguration());
        await using var onehop = await OneHopInstance.StartAsync(client, Cancel);
        Assert.Equal(["web-0"], await ServedAsync(onehop));

        api.Upsert(Slice("web", pods, ["web-0", "web-1"]));
        await EventuallyServedAsync(onehop, ["web-0", "web-1"]);
    }

    [Fact]
    public async Task A_watch_killed_mid_stream_resumes_from_its_resource_version_without_losing_an_event()
    {
        var (api, pods) = await StartAsync(["web-0"]);
        await using var _ = api;
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);
        await api.WaitForWatchesAsync(WatchedKinds, cancellationToken: Cancel);

        api.DropAllWatches();
        api.Upsert(Slice("web", pods, ["web-1"]));

        await EventuallyServedAsync(onehop, ["web-1"]);
        Assert.Equal(1, await MetricAsync(onehop, "onehop_source_kind_lists_total", "EndpointSlice"));
    }

    [Fact]
    public async Task Compacted_history_forces_a_relist_that_converges_without_a_failed_request()
    {
        var (api, pods) = await StartAsync(["web-0", "web-1"]);
        await using var _ = api;
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);
        await api.WaitForWatchesAsync(WatchedKinds, cancellationToken: Cancel);
        using var loop = new RequestLoop(onehop, concurrency: 3, host: Host);

        // While the watches are down, the slice changes and the history is compacted past their resourceVersion:
        // resuming gets 410 Expired and only a fresh LIST can catch up.
        await api.StopAsync(cancellationToken: Cancel);
        api.Upsert(Slice("web", pods, ["web-1", "web-2"]));
        api.CompactHistory();
        await api.StartAsync(Cancel);

        await EventuallyServedAsync(onehop, ["web-1", "web-2"]);
        await OneHopInstance.EventuallyAsync(async () => await MetricAsync(onehop, "onehop_source_kind_lists_total", "EndpointSlice") >= 2, TimeSpan.FromSeconds(10), "a relist", Cancel);
        var (ok, failures, _) = await loop.StopAsync();
        Assert.Empty(failures);
        Assert.True(ok > 10);
        var routes = await onehop.Admin.GetStringAsync("/api/routes", Cancel);
        Assert.Contains(pods.Addresses["web-2"], routes, StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{pods.Addresses["web-0"]}\"", routes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_server_going_away_keeps_traffic_flowing_and_a_change_made_meanwhile_applies_when_it_returns()
    {
        var (api, pods) = await StartAsync(["web-0"]);
        await using var _ = api;
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);
        using var loop = new RequestLoop(onehop, concurrency: 2, host: Host);

        await api.StopAsync(dropConnections: true, cancellationToken: Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).GetProperty("diagnostics").EnumerateArray().Any(d => d.GetProperty("code").GetString() == "ApiUnavailable"),
            TimeSpan.FromSeconds(10),
            "the outage to be reported",
            Cancel);
        Assert.Equal(["web-0"], await ServedAsync(onehop));
        api.Upsert(Slice("web", pods, ["web-3"]));

        await api.StartAsync(Cancel);

        await EventuallyServedAsync(onehop, ["web-3"]);
        var (ok, failures, _) = await loop.StopAsync();
        Assert.Empty(failures);
        Assert.True(ok > 10);
    }

    [Fact]
    public async Task A_burst_of_a_thousand_endpoint_slice_updates_coalesces_into_few_rebuilds()
    {
        var (api, pods) = await StartAsync(["web-0"]);
        await using var _ = api;
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);
        var before = await MetricAsync(onehop, "onehop_snapshot_builds_total", "success");

        for (var i = 0; i < 1000; i++)
        {
            var slice = Slice("web", pods, [PodNamespaceFixture.Pods[i % 3]]);
            slice.Metadata.Annotations = new Dictionary<string, string> { ["update"] = i.ToString(CultureInfo.InvariantCulture) };
            api.Upsert(slice);
        }

        api.Upsert(Slice("web", pods, ["web-3"]));
        await EventuallyServedAsync(onehop, ["web-3"]);
        var builds = await MetricAsync(onehop, "onehop_snapshot_builds_total", "success") - before;
        Assert.InRange(builds, 1, 100);
    }

    [Fact]
    public async Task A_forbidden_kind_is_reported_and_the_other_kinds_keep_working()
    {
        var (api, _) = await StartAsync(["web-0"]);
        await using var server = api;
        api.Forbid(KubeKind.Secret);
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);

        Assert.Equal(["web-0"], await ServedAsync(onehop));
        var diagnostics = (await onehop.StatusAsync(Cancel)).GetProperty("diagnostics").EnumerateArray().ToList();
        var forbidden = diagnostics.Where(d => d.GetProperty("code").GetString() == "Forbidden").ToList();
        Assert.Equal(2, forbidden.Count); // the TLS list and the htpasswd list
        Assert.All(forbidden, f => Assert.Contains("Secret", f.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.Equal(1, await MetricAsync(onehop, "onehop_source_kind_forbidden", "Secret"));
    }

    [Fact]
    public async Task Without_the_gateway_api_crds_the_other_kinds_route_and_the_absence_is_reported_once()
    {
        var (api, _) = await StartAsync(["web-0"]);
        await using var server = api;
        foreach (var kind in KubeApiServer.GatewayApiKinds)
        {
            api.Uninstall(kind);
        }

        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);

        Assert.Equal(["web-0"], await ServedAsync(onehop));
        var status = await onehop.StatusAsync(Cancel);
        var notInstalled = Assert.Single(status.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "KindNotInstalled");
        Assert.Contains("HTTPRoute", notInstalled.GetProperty("message").GetString(), StringComparison.Ordinal);
        var kinds = status.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "kubernetes").GetProperty("kinds").EnumerateArray().ToList();
        Assert.Equal(KubeApiServer.GatewayApiKinds.Count, kinds.Count(k => k.GetProperty("notInstalled").GetBoolean()));
        Assert.All(kinds, k => Assert.True(k.GetProperty("synced").GetBoolean()));
    }

    [Fact]
    public async Task An_htpasswd_secret_from_the_api_guards_its_ingress_and_its_changes_apply()
    {
        var (api, _) = await StartAsync(["web-0"]);
        await using var server = api;
        var ingress = Ingress("site", Host, "web");
        ingress.Metadata.Annotations = new Dictionary<string, string>
        {
            ["nginx.ingress.kubernetes.io/auth-type"] = "basic",
            ["nginx.ingress.kubernetes.io/auth-secret"] = "basic-auth",
        };
        api.Upsert(ingress);
        api.Create(Secret("basic-auth", new() { ["auth"] = "alice:{PLAIN}wonderland\n" }));
        api.Create(Secret("database", new() { ["password"] = "hunter2" })); // never kept: no htpasswd file
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);

        await OneHopInstance.EventuallyAsync(async () => await StatusAsync(onehop, null) == 401, TimeSpan.FromSeconds(10), "the Ingress to ask for a password", Cancel);
        Assert.Equal(200, await StatusAsync(onehop, "alice:wonderland"));
        Assert.Equal(401, await StatusAsync(onehop, "alice:wrong"));

        // The Secret is watched: without its htpasswd file it is dropped, and the Ingress's paths answer 503 as in nginx.
        api.Upsert(Secret("basic-auth", new() { ["password"] = "alice" }));
        await OneHopInstance.EventuallyAsync(async () => await StatusAsync(onehop, "alice:wonderland") == 503, TimeSpan.FromSeconds(10), "the Secret's loss to apply", Cancel);

        static V1Secret Secret(string name, Dictionary<string, string> data) => new()
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Data = data.ToDictionary(d => d.Key, d => System.Text.Encoding.UTF8.GetBytes(d.Value)),
        };

        static async Task<int> StatusAsync(OneHopInstance onehop, string? credentials)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Host = Host;
            if (credentials is not null)
            {
                request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
            }

            using var response = await onehop.Proxy.SendAsync(request, Cancel);
            return (int)response.StatusCode;
        }
    }

    private async Task<(KubeApiServer Api, PodNamespace Pods)> StartAsync(string[] ready)
    {
        var pods = await fixture.GetAsync(Cancel);
        var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.BookmarkInterval = TimeSpan.FromSeconds(1);
        CreateSite(api, pods, ready, Host);
        return (api, pods);
    }

    private static async Task<string[]> ServedAsync(OneHopInstance onehop)
    {
        var served = new HashSet<string>();
        for (var i = 0; i < 24; i++)
        {
            var (status, pod, body) = await onehop.GetAsync("/", Cancel, Host);
            Assert.True(status == 200, $"{status}: {body}");
            served.Add(pod!);
        }

        return [.. served.Order(StringComparer.Ordinal)];
    }

    private static Task EventuallyServedAsync(OneHopInstance onehop, string[] expected) =>
        OneHopInstance.EventuallyAsync(async () => (await ServedAsync(onehop)).SequenceEqual(expected), TimeSpan.FromSeconds(10), $"exactly {string.Join(", ", expected)} to serve", Cancel);

    /// <summary>The sum of a metric's series whose labels contain <paramref name="label"/>.</summary>
    private static async Task<double> MetricAsync(OneHopInstance onehop, string name, string label)
    {
        var text = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        return text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains($"\"{label}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture));
    }
}
