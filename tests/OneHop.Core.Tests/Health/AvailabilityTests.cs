using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Health;

public sealed class AvailabilityTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly EndpointRuntimeRegistry _runtimes;

    public AvailabilityTests() => _runtimes = new EndpointRuntimeRegistry(_time);

    [Fact]
    public void Ready_endpoints_take_traffic_and_terminating_ones_do_not()
    {
        var (ready, terminating) = (Destination("10.0.0.1", EndpointState.Ready), Destination("10.0.0.2", EndpointState.Terminating));
        Assert.Equal(Ids(ready), Ids(Select(ready, terminating)));
    }

    [Fact]
    public void Terminating_but_serving_endpoints_are_used_when_nothing_is_ready()
    {
        var terminating = Destination("10.0.0.2", EndpointState.Terminating);
        Assert.Equal(Ids(terminating), Ids(Select(terminating)));
    }

    [Fact]
    public void Unhealthy_ready_endpoints_give_way_to_healthy_terminating_ones()
    {
        var sick = Destination("10.0.0.1", EndpointState.Ready);
        sick.Runtime.Eject(TimeSpan.FromSeconds(10));
        var terminating = Destination("10.0.0.2", EndpointState.Terminating);

        Assert.Equal(Ids(terminating), Ids(Select(sick, terminating)));
    }

    [Fact]
    public void When_nothing_is_healthy_every_ready_endpoint_is_tried_panic_mode()
    {
        var (a, b) = (Destination("10.0.0.1", EndpointState.Ready), Destination("10.0.0.2", EndpointState.Ready));
        a.Runtime.SetProbeHealth(ProbeHealth.Unhealthy);
        b.Runtime.Eject(TimeSpan.FromSeconds(10));

        Assert.Equal(Ids(a, b), Ids(Select(a, b)));
    }

    [Fact]
    public void An_ejection_ends_on_time_and_a_probe_verdict_at_once()
    {
        var (a, b) = (Destination("10.0.0.1", EndpointState.Ready), Destination("10.0.0.2", EndpointState.Ready));
        a.Runtime.Eject(TimeSpan.FromSeconds(10));
        Assert.Equal(Ids(b), Ids(Select(a, b)));
        Assert.Equal(_time.GetTimestamp() + (10 * _time.TimestampFrequency), Availability.NextExpiry([a, b], _time.GetTimestamp()));

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(Ids(a, b), Ids(Select(a, b)));
        b.Runtime.SetProbeHealth(ProbeHealth.Unhealthy);
        Assert.Equal(Ids(a), Ids(Select(a, b)));
    }

    [Fact]
    public void No_endpoints_means_none_available() => Assert.Empty(Select());

    private ImmutableArray<Destination> Select(params Destination[] all) => Availability.Select([.. all], _time.GetTimestamp(), zone: null, trafficShare: null);

    private static string[] Ids(params IEnumerable<Destination> destinations) => [.. destinations.Select(d => d.Id)];

    private Destination Destination(string address, EndpointState state) =>
        new(new BackendEndpoint(address, 80, state), _runtimes.For($"{address}:80"));
}
