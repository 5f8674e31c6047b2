using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Routing;
using OneHop.Core.Routing.L4;
using OneHop.Core.State;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Tests.Proxy.L4;

/// <summary>The L4 data plane's sweep, on a fake clock: idle connections close, connections to a pod that left drain.</summary>
public sealed class L4DataPlaneTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly L4DataPlane _dataPlane;
    private readonly L4Metrics _metrics = new(new ScopedMeterFactory().Create(MetricsExport.MeterName));
    private readonly int _slot;

    public L4DataPlaneTests()
    {
        _dataPlane = new L4DataPlane(new EndpointRuntimeRegistry(_time), new EndpointRuntimeRegistry(_time), _metrics, _time);
        _slot = _dataPlane.Slot("db");
    }

    [Fact]
    public void A_listener_bound_before_its_snapshot_finds_its_routes_once_the_snapshot_comes()
    {
        Assert.Null(_dataPlane.Routing.Listener(_slot));

        Apply(1, "10.0.0.1", "10.0.0.2");

        var listener = _dataPlane.Routing.Listener(_slot)!;
        Assert.Equal(["10.0.0.1:5432", "10.0.0.2:5432"], listener.Default()!.Backend.Destinations.Select(d => d.Id));
    }

    [Fact]
    public void A_connection_whose_pod_left_goes_on_until_the_drain_timeout_and_one_that_moves_nothing_closes_when_idle()
    {
        Apply(1, "10.0.0.1", "10.0.0.2");
        var leaving = Open("10.0.0.1:5432");
        var staying = Open("10.0.0.2:5432");

        Apply(2, "10.0.0.2");
        Sweep(TimeSpan.FromSeconds(1), carried: true);
        Sweep(TimeSpan.FromSeconds(28), carried: true);
        Assert.Null(leaving.ClosedBy);

        Sweep(TimeSpan.FromSeconds(2), carried: true);
        Assert.Equal(L4CloseReason.Drained, leaving.ClosedBy);
        Assert.Null(staying.ClosedBy);

        Sweep(TimeSpan.FromSeconds(59), carried: false);
        Assert.Null(staying.ClosedBy);
        Sweep(TimeSpan.FromSeconds(2), carried: false);
        Assert.Equal(L4CloseReason.Idle, staying.ClosedBy);
    }

    [Fact]
    public void A_pod_that_comes_back_before_the_drain_timeout_keeps_its_connections()
    {
        Apply(1, "10.0.0.1");
        var connection = Open("10.0.0.1:5432");

        Apply(2);
        Sweep(TimeSpan.FromSeconds(20), carried: true);
        Apply(3, "10.0.0.1");
        Sweep(TimeSpan.FromSeconds(20), carried: true);
        Apply(4);
        Sweep(TimeSpan.FromSeconds(20), carried: true);

        Assert.Null(connection.ClosedBy);
    }

    private void Sweep(TimeSpan after, bool carried)
    {
        if (carried)
        {
            foreach (var connection in _dataPlane.Connections.Open)
            {
                connection.CarriedFromClient(1);
            }
        }

        _time.Advance(after);
        _dataPlane.Sweep(_time.GetTimestamp());
    }

    private RecordingConnection Open(string endpointId)
    {
        var listener = _dataPlane.Routing.Listener(_slot)!;
        var route = listener.Default()!;
        var destination = route.Backend.Find(endpointId)!;
        var connection = new RecordingConnection(listener, route, destination, _metrics.For("db", route.Backend.Name, destination.Id, destination.Name), _time.GetTimestamp());
        _dataPlane.Connections.Add(connection);
        return connection;
    }

    private void Apply(long version, params string[] addresses)
    {
        var backend = new Backend("tcp/db/pg:5432", "db/pg:5432", BackendKind.Service, BackendProtocol.Tcp, BackendPolicy.Default, [.. addresses.Select(a => new BackendEndpoint(a, 5432, EndpointState.Ready))]);
        var listener = new L4Listener("db", ListenerProtocol.Tcp, ListenAddress.Parse("127.0.0.1:5432"), [new L4Route("db/_", string.Empty, backend.Id, null, "test")], TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30), Live: false, "test");
        var snapshot = RoutingSnapshot.Empty with { L4 = new L4Snapshot([listener], [], [backend]) };
        _dataPlane.Apply(new PublishedSnapshot(version, snapshot, OneHopConfig.Default, ClusterState.Empty, []));
    }

    private sealed class RecordingConnection(L4ListenerState listener, L4RouteState route, Destination destination, L4Metrics.EndpointMetrics metrics, long now)
        : L4Connection(listener.Name, route, destination, metrics, listener.Listener.IdleTimeout, listener.Listener.DrainTimeout, now)
    {
        public override string Protocol => "tcp";

        public override void Close(L4CloseReason reason) => ClosedBy ??= reason;
    }
}
