using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.State;

namespace OneHop.Core.Tests.Proxy.Http;

public sealed class HttpDataPlaneTests
{
    private readonly EndpointRuntimeRegistry _runtimes = new(TimeProvider.System);
    private readonly HttpDataPlane _dataPlane;

    public HttpDataPlaneTests() => _dataPlane = new HttpDataPlane(_runtimes);

    [Fact]
    public void A_snapshot_serves_at_once_and_its_version_is_reported()
    {
        long? applied = null;
        _dataPlane.Applied += v => applied = v;
        Apply(Snapshot(["10.0.0.1"], "a.com"), 1);

        Assert.Equal(1, applied);
        Assert.Equal(1, _dataPlane.AppliedVersion);
        var routing = _dataPlane.Routing;
        var index = routing.Table.MatchIndex("a.com", "/x");
        Assert.Equal("10.0.0.1:8080", routing.BackendsByRoute[index]!.Destinations.Single().Id);
    }

    [Fact]
    public void Endpoints_that_left_are_forgotten_at_the_next_pruning_pass_not_at_every_snapshot()
    {
        Apply(Snapshot(["10.0.0.1"], "a.com"), 1);
        var gone = _runtimes.For("10.0.0.1:8080");

        Apply(Snapshot(["10.0.0.2"], "a.com"), 2);
        Assert.Same(gone, _runtimes.For("10.0.0.1:8080"));

        _dataPlane.Prune();
        Assert.NotSame(gone, _runtimes.For("10.0.0.1:8080"));
    }

    [Fact]
    public void Endpoint_churn_keeps_the_route_table_and_an_unchanged_backend_keeps_its_state()
    {
        Apply(Snapshot(["10.0.0.1"], "a.com"), 1);
        var before = _dataPlane.Routing;

        Apply(Snapshot(["10.0.0.2", "10.0.0.3"], "a.com"), 2);
        Assert.Same(before.Table, _dataPlane.Routing.Table);
        Assert.NotSame(before.BackendsByRoute[0], _dataPlane.Routing.BackendsByRoute[0]);
        Assert.Same(before.BackendsByRoute[0]!.Budget, _dataPlane.Routing.BackendsByRoute[0]!.Budget);

        var kept = _dataPlane.Routing.BackendsByRoute[0];
        Apply(Snapshot(["10.0.0.2", "10.0.0.3"], "a.com", "b.com"), 3);
        Assert.NotSame(before.Table, _dataPlane.Routing.Table);
        Assert.Same(kept, _dataPlane.Routing.BackendsByRoute[0]);
    }

    [Fact]
    public void A_changed_default_rebuilds_every_backend()
    {
        var snapshot = Snapshot(["10.0.0.1"], "a.com");
        Apply(snapshot, 1);
        var first = _dataPlane.Routing.BackendsByRoute[0];

        var slower = OneHopConfig.Default with { Defaults = OneHopConfig.Default.Defaults with { RequestTimeout = TimeSpan.FromSeconds(7) } };
        Apply(snapshot, 2, slower);
        Assert.NotSame(first, _dataPlane.Routing.BackendsByRoute[0]);
        Assert.Equal(TimeSpan.FromSeconds(7), _dataPlane.Routing.Defaults.RequestTimeout);
    }

    [Fact]
    public void The_same_version_again_changes_nothing()
    {
        Apply(Snapshot(["10.0.0.1"], "a.com"), 1);
        var routing = _dataPlane.Routing;
        Apply(Snapshot(["10.0.0.9"], "a.com"), 1);
        Assert.Same(routing, _dataPlane.Routing);
    }

    /// <summary>ingress-nginx's ConfigMap's trusted proxies (in the snapshot) replace the config file's; without, the file's apply.</summary>
    [Fact]
    public void The_snapshot_s_trusted_proxies_replace_the_config_file_s()
    {
        var fromFile = new TrustedProxiesConfig([System.Net.IPNetwork.Parse("192.168.0.0/16")]);
        var fromCluster = new TrustedProxiesConfig([System.Net.IPNetwork.Parse("10.0.0.0/8")], TrustsXForwarded: true);
        var config = OneHopConfig.Default with { ForwardedHeaders = new ForwardedHeadersConfig(ForwardedAction.Append, TrustedProxies: fromFile) };

        Apply(Snapshot(["10.0.0.1"], "a.com"), 1, config);
        Assert.Equal(fromFile, _dataPlane.Routing.Forwarded.TrustedProxies);

        Apply(Snapshot(["10.0.0.1"], "a.com") with { TrustedProxies = fromCluster }, 2, config);
        Assert.Equal(new ForwardedHeadersConfig(ForwardedAction.Append, TrustedProxies: fromCluster), _dataPlane.Routing.Forwarded);

        // An equal setting keeps its instance: the forwarders compare theirs with it on every request.
        var kept = _dataPlane.Routing.Forwarded;
        Apply(Snapshot(["10.0.0.2"], "a.com") with { TrustedProxies = fromCluster with { } }, 3, config);
        Assert.Same(kept, _dataPlane.Routing.Forwarded);

        Apply(Snapshot(["10.0.0.1"], "a.com"), 4);
        Assert.Null(_dataPlane.Routing.Forwarded.TrustedProxies);
    }

    private void Apply(RoutingSnapshot snapshot, long version, OneHopConfig? config = null) =>
        _dataPlane.Apply(new PublishedSnapshot(version, snapshot, config ?? OneHopConfig.Default, ClusterState.Empty, []));

    private static RoutingSnapshot Snapshot(string[] addresses, params string[] hosts)
    {
        var backend = new Backend(
            "default/web:80",
            "default/web:80",
            BackendKind.Service,
            BackendProtocol.Http,
            BackendPolicy.Default,
            [.. addresses.Select(a => new BackendEndpoint(a, 8080, EndpointState.Ready))]);
        return new RoutingSnapshot([.. hosts.Select(h => new Route($"{h}/", h, "/", PathMatchType.Prefix, backend.Id, "test"))], null, [backend]);
    }
}
