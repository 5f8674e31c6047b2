using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Tests.Health;

public sealed class ReadyFirstDestinationsPolicyTests
{
    private static readonly ClusterConfig Cluster = new() { ClusterId = "c" };
    private readonly ReadyFirstDestinationsPolicy _policy = new(new SnapshotCatalog());

    [Fact]
    public void Ready_endpoints_take_traffic_and_terminating_ones_do_not()
    {
        var ready = Destination("a", EndpointState.Ready);
        var terminating = Destination("b", EndpointState.Terminating);

        Assert.Equal(Ids(ready), Ids(_policy.GetAvailalableDestinations(Cluster, [ready, terminating])));
    }

    [Fact]
    public void Terminating_but_serving_endpoints_are_used_when_nothing_is_ready()
    {
        var terminating = Destination("b", EndpointState.Terminating);
        Assert.Equal(Ids(terminating), Ids(_policy.GetAvailalableDestinations(Cluster, [terminating])));
    }

    [Fact]
    public void Unhealthy_ready_endpoints_give_way_to_healthy_terminating_ones()
    {
        var sick = Destination("a", EndpointState.Ready);
        sick.Health.Passive = DestinationHealth.Unhealthy;
        var terminating = Destination("b", EndpointState.Terminating);

        Assert.Equal(Ids(terminating), Ids(_policy.GetAvailalableDestinations(Cluster, [sick, terminating])));
    }

    [Fact]
    public void When_nothing_is_healthy_every_ready_endpoint_is_tried_panic_mode()
    {
        var a = Destination("a", EndpointState.Ready);
        var b = Destination("b", EndpointState.Ready);
        a.Health.Active = DestinationHealth.Unhealthy;
        b.Health.Passive = DestinationHealth.Unhealthy;

        Assert.Equal(Ids(a, b), Ids(_policy.GetAvailalableDestinations(Cluster, [a, b])));
    }

    [Fact]
    public void No_endpoints_means_none_available() => Assert.Empty(_policy.GetAvailalableDestinations(Cluster, []));

    // DestinationState is itself an IReadOnlyList of itself, so compare ids, not states.
    private static string[] Ids(params IEnumerable<DestinationState> destinations) => [.. destinations.Select(d => d.DestinationId)];

    private static DestinationState Destination(string id, EndpointState state) => new(id, new DestinationModel(new DestinationConfig
    {
        Address = $"http://{id}",
        Metadata = new Dictionary<string, string> { [ProxyMetadata.EndpointState] = state.ToString() },
    }));
}
