using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration;
using OneHop.Core.Control;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources;
using OneHop.Core.Sources.Config;
using OneHop.Core.State;
using OneHop.Core.Telemetry;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Control;

public sealed class SnapshotCoordinatorTests
{
    private readonly FakeObjectSource _manifests = new("manifests");
    private readonly FakeObjectSource _other = new("other");
    private readonly FakeDataPlane _dataPlane = new();

    [Fact]
    public void Holds_the_first_snapshot_until_every_source_has_synced()
    {
        var coordinator = NewCoordinator(_manifests, _other);
        _manifests.Set(Manifests.State(Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1")));

        coordinator.Rebuild();

        Assert.Empty(_dataPlane.Received);
        Assert.False(coordinator.IsReady);
        Assert.Contains("other", coordinator.NotReadyReason, StringComparison.Ordinal);

        _other.Set(ClusterState.Empty);
        coordinator.Rebuild();

        Assert.Single(_dataPlane.Received);
        Assert.True(coordinator.IsReady);
    }

    [Fact]
    public void Is_not_ready_until_the_data_plane_serves_the_first_snapshot()
    {
        _dataPlane.ApplyImmediately = false;
        var coordinator = NewCoordinator(_manifests);
        _manifests.Set(ClusterState.Empty);

        coordinator.Rebuild();

        Assert.Single(_dataPlane.Received);
        Assert.False(coordinator.IsReady);
    }

    [Fact]
    public void Says_what_a_lagging_data_plane_waits_for_and_what_a_ready_one_does_not_serve()
    {
        _dataPlane.ApplyImmediately = false;
        _dataPlane.Waiting = "the Gateway ports to listen: 127.0.0.1:80";
        var coordinator = NewCoordinator(_manifests);
        _manifests.Set(ClusterState.Empty);
        coordinator.Rebuild();

        Assert.False(coordinator.IsReady);
        Assert.Equal("waiting for the Gateway ports to listen: 127.0.0.1:80", coordinator.NotReadyReason);
        Assert.Null(coordinator.ReadyWarning);

        // A port that could not be bound does not hold readiness: it is said alongside it.
        _dataPlane.Waiting = null;
        _dataPlane.LastError = "Gateway ports not listening: 127.0.0.1:80: address in use";
        _dataPlane.Serve(_dataPlane.Received[^1].Version);

        Assert.True(coordinator.IsReady);
        Assert.True(coordinator.Ready.IsCompleted);
        Assert.Equal("Gateway ports not listening: 127.0.0.1:80: address in use", coordinator.ReadyWarning);
    }

    [Fact]
    public void Publishes_a_new_version_only_when_routing_changes()
    {
        var coordinator = NewCoordinator(_manifests);
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Manifests.Ingress("web", "a.example.com", "/", "web");
        _manifests.Set(Manifests.State(yaml));
        coordinator.Rebuild();
        coordinator.Rebuild();

        // A new state that routes identically (an unrelated Service) is not a new snapshot.
        _manifests.Set(Manifests.State(yaml + Manifests.Service("unused", "10.0.0.9")));
        coordinator.Rebuild();
        Assert.Single(_dataPlane.Received);

        _manifests.Set(Manifests.State(yaml.Replace("10.0.0.1", "10.0.0.2", StringComparison.Ordinal)));
        coordinator.Rebuild();

        Assert.Equal([1L, 2L], _dataPlane.Received.Select(r => r.Version));
        Assert.Equal("10.0.0.2", _dataPlane.Received[^1].Snapshot.Backends[0].Endpoints[0].Address);
        Assert.Equal(2, coordinator.Status.Version);
    }

    [Fact]
    public void A_source_that_rebuilds_its_snapshot_on_every_read_builds_nothing_when_nothing_changed()
    {
        // KubernetesSource.Current makes new arrays (per-kind status, diagnostics) and a newer sync time on each read;
        // only a change in what the translator reads may cost a build.
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var state = Manifests.State(Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1"));
        var reads = 0;
        var source = new FakeObjectSource("kubernetes");
        source.Reading = () => new SourceSnapshot(true, state with { }, [Diagnostic.Warning(DiagnosticCodes.ApiUnavailable, "slow")], time.GetUtcNow().AddSeconds(++reads))
        {
            Kinds = [new OneHop.Core.Sources.Kubernetes.InformerStatus("Service", null, true, time.GetUtcNow().AddSeconds(reads), false, null, 1)],
        };
        var coordinator = NewCoordinator([source], c => c, time);
        coordinator.Rebuild();
        var built = coordinator.Status.LastBuild;

        time.Advance(TimeSpan.FromSeconds(5));
        coordinator.Rebuild();
        coordinator.Rebuild();

        Assert.Equal(built, coordinator.Status.LastBuild);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(5 + 3), coordinator.Status.Sources[0].LastSync);
    }

    [Fact]
    public void A_broken_ingress_edit_keeps_routing_and_reports_the_error()
    {
        var coordinator = NewCoordinator(_manifests);
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Manifests.Ingress("web", "a.example.com", "/", "web");
        _manifests.Set(Manifests.State(yaml));
        coordinator.Rebuild();

        _manifests.Set(Manifests.State(yaml.Replace("pathType: Prefix", "pathType: Prefixx", StringComparison.Ordinal)));
        coordinator.Rebuild();

        Assert.Single(_dataPlane.Received);
        Assert.Contains(coordinator.Status.Diagnostics, d => d.Code == DiagnosticCodes.InvalidPathType);
        Assert.Contains(coordinator.Status.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept);
    }

    [Fact]
    public void The_same_object_from_two_sources_is_reported_once_and_the_first_wins()
    {
        var coordinator = NewCoordinator(_manifests, _other);
        _manifests.Set(Manifests.State(Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Manifests.Ingress("web", "a.example.com", "/", "web"), "a.yaml"));
        _other.Set(Manifests.State(Manifests.Service("web", "10.0.0.2"), "b.yaml"));

        coordinator.Rebuild();

        var duplicates = coordinator.Status.Diagnostics.Where(d => d.Code == DiagnosticCodes.DuplicateObject).ToList();
        Assert.Equal(["EndpointSlice", "Service"], duplicates.Select(d => d.Object!.Kind).Order(StringComparer.Ordinal));
        Assert.All(duplicates, d => Assert.Equal("b.yaml", d.Origin?.File));
        Assert.Equal("10.0.0.1", coordinator.Status.Snapshot.Backends.Single().Endpoints.Single().Address);
    }

    [Fact]
    public void Overrides_apply_to_the_config_at_every_build()
    {
        var coordinator = NewCoordinator([_manifests], c => c with { Ingress = c.Ingress with { WatchWithoutClass = true } });
        _manifests.Set(Manifests.State(Manifests.Service("web", "10.0.0.1") + Manifests.Ingress("web", "a.example.com", "/", "web")));

        coordinator.Rebuild();

        Assert.Single(_dataPlane.Received[0].Snapshot.Routes);
    }

    [Fact]
    public async Task A_burst_of_changes_is_coalesced_into_few_rebuilds()
    {
        var coordinator = NewCoordinator([_manifests], c => c, TimeProvider.System);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(30));
        _manifests.Set(ClusterState.Empty);
        var running = coordinator.RunAsync(cancel.Token);
        while (!coordinator.IsReady)
        {
            await Task.Delay(5, cancel.Token);
        }

        var states = Enumerable.Range(0, 1000)
            .Select(i => Manifests.State(Manifests.DefaultClass + Manifests.Service("web", $"10.0.{i / 250}.{(i % 250) + 1}") + Manifests.Ingress("web", "a.example.com", "/", "web")))
            .ToList();
        foreach (var state in states)
        {
            _manifests.Set(state);
            _manifests.Signal();
        }

        while (coordinator.Status.Snapshot.Backends.FirstOrDefault()?.Endpoints[0].Address != "10.0.3.250")
        {
            await Task.Delay(5, cancel.Token);
        }

        Assert.InRange(_dataPlane.Received.Count, 2, 50);
        await cancel.CancelAsync();
        await running;
    }

    [Theory]
    [InlineData(null, "zone-b")]
    [InlineData("zone-a", "zone-a")]
    public void The_replicas_zone_comes_from_its_Nodes_label_unless_one_is_given(string? given, string expected)
    {
        const string Nodes = """
            apiVersion: v1
            kind: Node
            metadata: {name: node-1, labels: {topology.kubernetes.io/zone: zone-b}}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: node-2, labels: {topology.kubernetes.io/zone: zone-c}}
            ---

            """;
        var coordinator = NewCoordinator(
            [_manifests],
            c => given is null ? c : c with { Topology = c.Topology with { Zone = given } },
            options: new CoordinatorOptions { NodeName = "node-1" });
        _manifests.Set(Manifests.State(Manifests.DefaultClass + Nodes + Manifests.Service("web", "10.0.0.1")));

        coordinator.Rebuild();

        Assert.Equal(expected, _dataPlane.LastConfig!.Topology.Zone);
    }

    [Fact]
    public void A_replica_on_an_unknown_or_unlabelled_node_has_no_zone()
    {
        var coordinator = NewCoordinator([_manifests], c => c, options: new CoordinatorOptions { NodeName = "elsewhere" });
        _manifests.Set(Manifests.State(Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1")));

        coordinator.Rebuild();

        Assert.Null(_dataPlane.LastConfig!.Topology.Zone);
    }

    [Fact]
    public async Task Steady_changes_cannot_postpone_a_rebuild_beyond_the_window()
    {
        var time = new FakeTimeProvider();
        var coordinator = NewCoordinator([_manifests], c => c, time);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(30));
        _manifests.Set(ClusterState.Empty);
        var running = coordinator.RunAsync(cancel.Token);
        await EventuallyAsync(() => coordinator.IsReady, () => time.Advance(TimeSpan.FromMilliseconds(10)), cancel.Token);

        // A change every 4 ms: a quiet-time debounce would wait for a gap that never comes.
        _manifests.Set(Manifests.State(Manifests.DefaultClass + Manifests.Service("web", "10.0.0.7") + Manifests.Ingress("web", "a.example.com", "/", "web")));
        for (var i = 0; i < 3; i++)
        {
            _manifests.Signal();
            await Task.Delay(20, cancel.Token);
            time.Advance(TimeSpan.FromMilliseconds(4));
        }

        await EventuallyAsync(() => _dataPlane.Received.Count == 2, () => { }, cancel.Token);
        Assert.Equal(TimeSpan.FromMilliseconds(10), new CoordinatorOptions().Window);
        Assert.Equal("10.0.0.7", coordinator.Status.Snapshot.Backends.Single().Endpoints.Single().Address);
        await cancel.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_crashed_source_is_reported_restarted_and_its_report_cleared_once_it_runs()
    {
        var time = new FakeTimeProvider();
        var coordinator = NewCoordinator([_manifests], c => c, time);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(30));
        _manifests.Set(ClusterState.Empty);
        _manifests.CrashWith = new InvalidOperationException("boom");
        var running = coordinator.RunAsync(cancel.Token);

        await EventuallyAsync(() => coordinator.Status.Diagnostics.Any(d => d.Code == DiagnosticCodes.SourceCrashed), () => time.Advance(TimeSpan.FromMilliseconds(10)), cancel.Token);
        var crash = coordinator.Status.Diagnostics.Single(d => d.Code == DiagnosticCodes.SourceCrashed);
        Assert.Contains("the manifests source stopped (InvalidOperationException: boom)", crash.Message, StringComparison.Ordinal);
        Assert.True(coordinator.IsReady);

        await EventuallyAsync(() => _manifests.Runs == 2, () => time.Advance(TimeSpan.FromMilliseconds(100)), cancel.Token);
        await EventuallyAsync(() => !coordinator.Status.Diagnostics.Any(d => d.Code == DiagnosticCodes.SourceCrashed), () => time.Advance(TimeSpan.FromSeconds(1)), cancel.Token);
        Assert.Equal(2, _manifests.Runs);
        await cancel.CancelAsync();
        await running;
    }

    private static async Task EventuallyAsync(Func<bool> condition, Action step, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            step();
            await Task.Delay(5, cancellationToken);
        }
    }

    private SnapshotCoordinator NewCoordinator(params FakeObjectSource[] sources) => NewCoordinator(sources, c => c);

    private SnapshotCoordinator NewCoordinator(FakeObjectSource[] sources, Func<OneHopConfig, OneHopConfig> overrides, TimeProvider? time = null, CoordinatorOptions? options = null) => new(
        sources,
        new DefaultConfigSource(OneHopConfig.Default),
        overrides,
        [_dataPlane],
        new ControlPlaneMetrics(new ScopedMeterFactory().Create(MetricsExport.MeterName)),
        time ?? new FakeTimeProvider(),
        NullLogger<SnapshotCoordinator>.Instance,
        options);
}
