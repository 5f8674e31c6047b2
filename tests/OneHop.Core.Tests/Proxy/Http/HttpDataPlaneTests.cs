using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry;
using Prometheus;
using Yarp.ReverseProxy.Configuration;

namespace OneHop.Core.Tests.Proxy.Http;

public sealed class HttpDataPlaneTests
{
    private readonly RouteTableRegistry _tables = new();
    private readonly EndpointRuntimeRegistry _runtimes = new(TimeProvider.System);
    private readonly HttpDataPlane _dataPlane;

    public HttpDataPlaneTests() =>
        _dataPlane = new HttpDataPlane(_tables, new SnapshotCatalog(), _runtimes, new ProxyMetrics(Metrics.NewCustomRegistry()), NullLogger<HttpDataPlane>.Instance);

    [Fact]
    public void Endpoints_that_left_are_forgotten_at_the_next_pruning_pass_not_at_every_snapshot()
    {
        var listener = (IConfigChangeListener)_dataPlane;
        _dataPlane.Apply(Snapshot(["10.0.0.1"], "a.com"), 1, OneHopConfig.Default);
        listener.ConfigurationApplied([_dataPlane.ConfigProvider.GetConfig()]);
        var gone = _runtimes.For("10.0.0.1:8080");

        _dataPlane.Apply(Snapshot(["10.0.0.2"], "a.com"), 2, OneHopConfig.Default);
        listener.ConfigurationApplied([_dataPlane.ConfigProvider.GetConfig()]);
        Assert.Same(gone, _runtimes.For("10.0.0.1:8080"));

        _dataPlane.Prune();
        Assert.NotSame(gone, _runtimes.For("10.0.0.1:8080"));
    }

    [Fact]
    public void Endpoint_churn_leaves_YARPs_routes_equal_so_ASP_NET_routing_is_not_rebuilt()
    {
        _dataPlane.Apply(Snapshot(["10.0.0.1"], "a.com"), 1, OneHopConfig.Default);
        var before = _dataPlane.ConfigProvider.GetConfig();

        _dataPlane.Apply(Snapshot(["10.0.0.2", "10.0.0.3"], "a.com"), 2, OneHopConfig.Default);
        var after = _dataPlane.ConfigProvider.GetConfig();

        Assert.Equal("2", after.RevisionId);
        Assert.Equal(before.Routes, after.Routes);
        Assert.Equal(["10.0.0.2:8080", "10.0.0.3:8080"], after.Clusters.Single().Destinations!.Keys.Order());
        Assert.Null(_tables.Get(2));
        Assert.NotNull(_tables.Get(1));
    }

    [Fact]
    public void A_change_of_routes_makes_a_new_table_under_the_new_version()
    {
        _dataPlane.Apply(Snapshot(["10.0.0.1"], "a.com"), 1, OneHopConfig.Default);
        _dataPlane.Apply(Snapshot(["10.0.0.1"], "a.com", "b.com"), 2, OneHopConfig.Default);

        var routes = _dataPlane.ConfigProvider.GetConfig().Routes;
        Assert.All(routes, r => Assert.Equal("2", r.Metadata![ProxyMetadata.TableVersion]));
        Assert.Equal(2, _tables.Get(2)!.Routes.Length);
    }

    [Fact]
    public void An_unchanged_backend_keeps_its_YARP_cluster_and_a_changed_default_rebuilds_it()
    {
        var snapshot = Snapshot(["10.0.0.1"], "a.com");
        _dataPlane.Apply(snapshot, 1, OneHopConfig.Default);
        var first = _dataPlane.ConfigProvider.GetConfig().Clusters.Single();

        _dataPlane.Apply(snapshot with { Routes = [.. snapshot.Routes, snapshot.Routes[0] with { Id = "b", Host = "b.com" }] }, 2, OneHopConfig.Default);
        Assert.Same(first, _dataPlane.ConfigProvider.GetConfig().Clusters.Single());

        var slower = OneHopConfig.Default with { Defaults = OneHopConfig.Default.Defaults with { RequestTimeout = TimeSpan.FromSeconds(7) } };
        _dataPlane.Apply(snapshot, 3, slower);
        var rebuilt = _dataPlane.ConfigProvider.GetConfig().Clusters.Single();
        Assert.NotSame(first, rebuilt);
        Assert.Equal(TimeSpan.FromSeconds(7), rebuilt.HttpRequest!.ActivityTimeout);
    }

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
