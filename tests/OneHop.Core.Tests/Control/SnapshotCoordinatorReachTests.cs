using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration;
using OneHop.Core.Control;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.Sources.Config;
using OneHop.Core.Telemetry;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Control;

/// <summary>
/// The reachability prober's findings are a translation input like a source's state: a change rebuilds, the same
/// findings do not, and the consumers are told which pods to probe.
/// </summary>
public sealed class SnapshotCoordinatorReachTests
{
    private const string Yaml = """
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        status: {addresses: [{type: InternalIP, address: 192.168.1.11}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, annotations: {onehop.dev/reach: auto}}
        spec: {type: NodePort, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        ports: [{name: "", port: 8080}]
        endpoints:
          - {addresses: ["10.244.0.5"], nodeName: node-a, conditions: {ready: true}}
        ---

        """;

    [Fact]
    public void A_new_finding_rebuilds_and_moves_an_auto_service_between_node_ports_and_pod_ips()
    {
        var source = new FakeObjectSource("manifests");
        var reach = new FixedReachability();
        var consumer = new Recorder();
        var coordinator = new SnapshotCoordinator(
            [source],
            new DefaultConfigSource(OneHopConfig.Default),
            c => c,
            [consumer],
            new ControlPlaneMetrics(new ScopedMeterFactory().Create(MetricsExport.MeterName)),
            new FakeTimeProvider(),
            NullLogger<SnapshotCoordinator>.Instance,
            reachability: reach);
        source.Set(Manifests.State(Manifests.DefaultClass + Yaml + Manifests.Ingress("web", "web.example.com", "/", "web")));

        coordinator.Rebuild();
        Assert.Equal(["192.168.1.11:30080"], Web(consumer).Endpoints.Select(e => e.Id));
        Assert.Equal([new ReachProbeTarget("node-a", "10.244.0.5", 8080)], consumer.Received[^1].ReachTargets);

        reach.Current = new PodReachability(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("node-a", new NodeReach(true, "10.244.0.5:8080 connected"))]));
        coordinator.Rebuild();
        Assert.Equal(["10.244.0.5:8080"], Web(consumer).Endpoints.Select(e => e.Id));

        // Equal findings (a new instance with the same verdicts) are no new input: no build, no call.
        var calls = consumer.Received.Count;
        reach.Current = reach.Current with { };
        coordinator.Rebuild();
        Assert.Equal(calls, consumer.Received.Count);
        Assert.Equal(2, coordinator.Status.Version);
    }

    private static Backend Web(Recorder consumer) => consumer.Received[^1].Snapshot.Backends.Single(b => b.Id == "default/web:80");

    private sealed class FixedReachability : IPodReachabilitySource
    {
        public PodReachability Current { get; set; } = PodReachability.Empty;

        public Task RunAsync(Action changed, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private sealed class Recorder : ISnapshotConsumer
    {
        public List<PublishedSnapshot> Received { get; } = [];

        public void Apply(PublishedSnapshot published) => Received.Add(published);
    }
}
