using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Admin;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Control;
using OneHop.Core.Diagnostics;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.State;
using OneHop.Core.Tls;

namespace OneHop.Core.Tests.Admin;

public sealed class TopologyBuilderTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly EndpointRuntimeRegistry _runtimes;
    private readonly HttpDataPlane _dataPlane;

    public TopologyBuilderTests()
    {
        _runtimes = new EndpointRuntimeRegistry(_time);
        _dataPlane = new HttpDataPlane(_runtimes);
    }

    [Fact]
    public void Pods_are_grouped_by_zone_then_node_with_this_replicas_zone_first_and_preferred()
    {
        Apply(Web(
            new BackendEndpoint("10.0.2.1", 8080, EndpointState.Ready, "web-b1", "node-2", "zone-b"),
            new BackendEndpoint("10.0.1.2", 8080, EndpointState.Ready, "web-a2", "node-1", "zone-a"),
            new BackendEndpoint("10.0.1.1", 8080, EndpointState.Ready, "web-a1", "node-1", "zone-a"),
            new BackendEndpoint("10.0.3.1", 8080, EndpointState.Ready, "web-c1", "node-3", "zone-c")), zone: "zone-b");

        var document = Build();
        var service = Assert.Single(document.Services);
        Assert.Equal(["zone-b", "zone-a", "zone-c"], service.Zones.Select(z => z.Name));
        Assert.True(service.Zones[0].Local);
        Assert.False(service.Zones[1].Local);
        Assert.Equal(["web-a1", "web-a2"], service.Zones[1].Nodes.Single().Pods.Select(p => p.Name));
        Assert.Equal("node-1", service.Zones[1].Nodes.Single().Name);

        var local = service.Zones[0].Nodes.Single().Pods.Single();
        Assert.True(local.Preferred);
        Assert.True(local.InUse);

        // One local pod of four is a third of the healthy share a zone of three should carry: zone-aware balancing
        // spills over to every zone, and every pod is in use, the remote ones not preferred.
        Assert.All(service.Zones.Skip(1).SelectMany(z => z.Nodes).SelectMany(n => n.Pods), p => Assert.True(p.InUse && !p.Preferred));
        Assert.Equal("zone-b", document.Zone);
    }

    [Fact]
    public void Every_runtime_state_shows_as_one_state_word_and_its_flag()
    {
        var policy = BackendPolicy.Default with { SlowStart = TimeSpan.FromSeconds(30) };
        Apply(Web(
            policy,
            new BackendEndpoint("10.0.0.1", 8080, EndpointState.Ready, "ready"),
            new BackendEndpoint("10.0.0.2", 8080, EndpointState.Terminating, "leaving"),
            new BackendEndpoint("10.0.0.3", 8080, EndpointState.Ready, "ejected"),
            new BackendEndpoint("10.0.0.4", 8080, EndpointState.Ready, "probed")));
        _time.Advance(TimeSpan.FromSeconds(60));

        Apply(Web(
            policy,
            new BackendEndpoint("10.0.0.1", 8080, EndpointState.Ready, "ready"),
            new BackendEndpoint("10.0.0.2", 8080, EndpointState.Terminating, "leaving"),
            new BackendEndpoint("10.0.0.3", 8080, EndpointState.Ready, "ejected"),
            new BackendEndpoint("10.0.0.4", 8080, EndpointState.Ready, "probed"),
            new BackendEndpoint("10.0.0.5", 8080, EndpointState.Ready, "new")), version: 2);
        _runtimes.For("10.0.0.3:8080").Eject(TimeSpan.FromSeconds(30));
        _runtimes.For("10.0.0.4:8080").SetProbeHealth(ProbeHealth.Unhealthy);
        _time.Advance(TimeSpan.FromSeconds(1));

        var pods = Build().Services.Single().Zones.Single().Nodes.Single().Pods.ToDictionary(p => p.Name);
        Assert.Equal("ready", pods["ready"].State);
        Assert.True(pods["ready"].Ready && pods["ready"].Serving && pods["ready"].InUse);

        Assert.Equal("terminating", pods["leaving"].State);
        Assert.True(pods["leaving"].Terminating && pods["leaving"].Serving && !pods["leaving"].Ready);
        Assert.False(pods["leaving"].InUse); // ready pods are left, so it takes no new request

        Assert.Equal("ejected", pods["ejected"].State);
        Assert.True(pods["ejected"].Ejected);
        Assert.False(pods["ejected"].InUse);

        Assert.Equal("probe-failing", pods["probed"].State);
        Assert.True(pods["probed"].ProbeFailing);
        Assert.False(pods["probed"].InUse);

        Assert.Equal("slow-start", pods["new"].State);
        Assert.True(pods["new"].SlowStart);

        // The ejection runs out: the pod is back.
        _time.Advance(TimeSpan.FromSeconds(30));
        var back = Build().Services.Single().Zones.Single().Nodes.Single().Pods.Single(p => p.Name == "ejected");
        Assert.Equal("ready", back.State);
        Assert.True(back.InUse);
    }

    [Fact]
    public void Load_in_flight_and_the_share_that_crossed_zones_come_from_the_pods_runtime()
    {
        Apply(Web(
            new BackendEndpoint("10.0.1.1", 8080, EndpointState.Ready, "a1", "node-1", "zone-a"),
            new BackendEndpoint("10.0.2.1", 8080, EndpointState.Ready, "b1", "node-2", "zone-b"),
            new BackendEndpoint("10.0.9.1", 8080, EndpointState.Ready, "x1")), zone: "zone-a");
        _time.Advance(TimeSpan.FromSeconds(TrafficWindow.WindowSeconds));
        var a = _runtimes.For("10.0.1.1:8080");
        var b = _runtimes.For("10.0.2.1:8080");
        var x = _runtimes.For("10.0.9.1:8080");
        for (var i = 0; i < 30; i++)
        {
            a.Traffic.Record(0.004, failed: false);
        }

        for (var i = 0; i < 10; i++)
        {
            b.Traffic.Record(0.100, failed: i < 3);
        }

        x.Traffic.Record(0.001, failed: false);
        b.RequestStarted();
        b.RequestStarted();
        _time.Advance(TimeSpan.FromSeconds(1));

        var document = Build();
        var pods = document.Services.Single().Zones.SelectMany(z => z.Nodes).SelectMany(n => n.Pods).ToDictionary(p => p.Name);
        Assert.Equal(3, pods["a1"].RequestsPerSecond);
        Assert.Equal(30, pods["a1"].Requests);
        Assert.Equal(0, pods["a1"].Errors);
        Assert.InRange(pods["a1"].P50Ms!.Value, 2, 4);
        Assert.Equal(1, pods["b1"].RequestsPerSecond);
        Assert.Equal(3, pods["b1"].Errors);
        Assert.Equal(2, pods["b1"].InFlight);
        Assert.InRange(pods["b1"].P99Ms!.Value, 64, 128);

        // 10 of the 40 requests to pods with a zone left zone-a; the pod without a zone does not count.
        Assert.Equal(0.25, document.CrossZoneShare);
    }

    [Fact]
    public void Without_a_zone_no_pod_is_preferred_and_no_cross_zone_share_is_given()
    {
        Apply(Web(new BackendEndpoint("10.0.1.1", 8080, EndpointState.Ready, "a1", "node-1", "zone-a")));
        _runtimes.For("10.0.1.1:8080").Traffic.Record(0.001, failed: false);
        _time.Advance(TimeSpan.FromSeconds(2));

        var document = Build();
        Assert.Null(document.Zone);
        Assert.Null(document.CrossZoneShare);
        Assert.False(document.Services.Single().Zones.Single().Local);
        Assert.False(document.Services.Single().Zones.Single().Nodes.Single().Pods.Single().Preferred);
    }

    [Fact]
    public void Routes_say_where_they_came_from_and_which_services_they_send_to()
    {
        var web = Web(new BackendEndpoint("10.0.0.1", 8080, EndpointState.Ready, "web-1")).Backends.Single();
        var api = web with { Id = "default/api:80", Name = "default/api:80" };
        var redirect = new RouteFilters(Redirect: new RouteRedirect("https", null, null, null, 301));
        Apply(new RoutingSnapshot(
            [
                new Route("r1", "www.example.com", "/", PathMatchType.Prefix, web.Id, "Ingress default/site spec.rules[0].http.paths[0]"),
                new Route("r2", "api.example.com", "/", PathMatchType.Prefix, web.Id, "HTTPRoute default/api spec.rules[0].matches[0]")
                {
                    Port = 8443,
                    Splits = [new RouteBackend(web.Id, 90), new RouteBackend(api.Id, 10), new RouteBackend(null, 5, "missing")],
                },
                new Route("r3", "old.example.com", "/", PathMatchType.Prefix, web.Id, "config route old") { Filters = redirect },
            ],
            null,
            [api, web]));

        var document = Build();
        var routes = document.Routes.ToDictionary(r => r.Id);
        Assert.Equal("Ingress", routes["r1"].Kind);
        Assert.Null(routes["r1"].Port);
        Assert.Equal([new TopologyRouteBackend("default/web:80")], routes["r1"].Backends);
        Assert.Equal("HTTPRoute", routes["r2"].Kind);
        Assert.Equal(8443, routes["r2"].Port);
        Assert.Equal([new TopologyRouteBackend("default/web:80", 90), new TopologyRouteBackend("default/api:80", 10)], routes["r2"].Backends);
        Assert.Equal("config", routes["r3"].Kind);
        Assert.True(routes["r3"].Redirect);
        Assert.Empty(routes["r3"].Backends);
        Assert.Equal(["default/api:80", "default/web:80"], document.Services.Select(s => s.Id));
    }

    [Fact]
    public void Problems_list_errors_first_with_their_file_object_and_field_then_certificates()
    {
        Apply(Web(new BackendEndpoint("10.0.0.1", 8080, EndpointState.Ready, "web-1")));
        var status = ControlPlaneStatus.Initial with
        {
            LastBuildError = "translation failed: boom",
            Diagnostics =
            [
                Diagnostic.Warning("NoEndpoints", "Service default/api has no ready endpoints", new ObjectRef("Service", "default", "api")),
                Diagnostic.Error("InvalidYaml", "mapping values are not allowed here", origin: new ObjectOrigin("manifests", "broken.yaml", 1, 4, 7)),
                Diagnostic.Info("Ignored", "only for information"),
            ],
        };
        ServedCertificate[] certificates =
        [
            new("default/old", "CN=old", Start.AddDays(-1), ["old.example.com"], false),
            new("default/soon", "CN=soon", Start.AddDays(3), ["soon.example.com"], false),
            new("default/fine", "CN=fine", Start.AddDays(90), ["fine.example.com"], false),
            new("self-signed", "CN=onehop", Start.AddDays(-10), [], true),
        ];

        var problems = Build(status, certificates).Problems;

        Assert.Equal(
            [
                ("error", "build", null),
                ("error", "config", "document 1 of broken.yaml (line 4, column 7)"),
                ("warning", "config", "Service default/api"),
                ("error", "certificate", "default/old (old.example.com)"),
                ("warning", "certificate", "default/soon (soon.example.com)"),
            ],
            problems.Select(p => (p.Severity, p.Area, p.Subject)));
        Assert.Equal("InvalidYaml", problems[1].Code);
        Assert.Contains("mapping values", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("in 3 days", problems[4].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "standalone")]
    [InlineData(true, "leader")]
    [InlineData(false, "follower")]
    public void The_role_follows_leader_election(bool? isLeader, string role)
    {
        Apply(Web(new BackendEndpoint("10.0.0.1", 8080, EndpointState.Ready, "web-1")));
        var leadership = isLeader is { } leads ? new LeadershipDocument("me", leads ? "me" : "other", leads) : null;

        var document = new TopologyBuilder(_time).Build(Input(ControlPlaneStatus.Initial, [], leadership));

        Assert.Equal(role, document.Role);
        Assert.Equal(leadership, document.Leadership);
        Assert.Equal(Start, document.GeneratedAt);
        Assert.Equal(1, document.Version);
    }

    private TopologyDocument Build(ControlPlaneStatus? status = null, IReadOnlyList<ServedCertificate>? certificates = null) =>
        new TopologyBuilder(_time).Build(Input(status ?? ControlPlaneStatus.Initial, certificates ?? [], null));

    private TopologyInput Input(ControlPlaneStatus status, IReadOnlyList<ServedCertificate> certificates, LeadershipDocument? leadership) =>
        new(_dataPlane.Routing, [new TopologyListener("http", "0.0.0.0:80", "http")], _dataPlane.Zone, status, true, null, null, certificates, leadership);

    private void Apply(RoutingSnapshot snapshot, string? zone = null, long version = 1) =>
        _dataPlane.Apply(new PublishedSnapshot(version, snapshot, OneHopConfig.Default with { Topology = new TopologySettings(zone) }, ClusterState.Empty, []));

    private static RoutingSnapshot Web(params BackendEndpoint[] endpoints) => Web(BackendPolicy.Default, endpoints);

    private static RoutingSnapshot Web(BackendPolicy policy, params BackendEndpoint[] endpoints)
    {
        var backend = new Backend("default/web:80", "default/web:80", BackendKind.Service, BackendProtocol.Http, policy, [.. endpoints]);
        return new RoutingSnapshot([new Route("r", "www.example.com", "/", PathMatchType.Prefix, backend.Id, "Ingress default/site spec.rules[0]")], null, [backend]);
    }
}
