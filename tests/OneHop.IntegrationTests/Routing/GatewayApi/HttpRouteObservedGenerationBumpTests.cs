using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteObservedGenerationBump (conformance/tests/httproute-observed-generation-bump.go), through the API test
/// server: a new backend in the route's spec bumps its generation, the route's conditions for Gateway same-namespace
/// follow it (Accepted, ResolvedRefs).
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class HttpRouteObservedGenerationBumpTests
{
    private const string Name = "observed-generation-bump";

    [Fact]
    public async Task The_routes_conditions_take_the_new_generation_and_the_new_backend_serves()
    {
        await using var cluster = await ConformanceCluster.StartAsync("httproute-observed-generation-bump.yaml", TestTimeouts.Token());
        await LatestConditionsAsync(cluster);
        var original = cluster.Api.Get<HttpRoute>(Name, Infra)!;
        var generation = original.Metadata.Generation;

        original.Spec.Rules![0].BackendRefs![0].Name = InfraV2;
        original.Metadata.ResourceVersion = null;
        var updated = cluster.Api.Replace(original).Metadata.Generation;

        Assert.NotEqual(generation, updated);
        await LatestConditionsAsync(cluster);
        Assert.Equal(updated, cluster.Api.Get<HttpRoute>(Name, Infra)!.Metadata.Generation);
    }

    /// <summary>
    /// The suite's HTTPRouteMustHaveLatestConditions, HTTPRouteMustHaveCondition (Accepted) and
    /// HTTPRouteMustHaveResolvedRefsConditionsTrue for Gateway same-namespace.
    /// </summary>
    private static Task LatestConditionsAsync(ConformanceCluster cluster) =>
        OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<HttpRoute>(Name, Infra) is { Status.Parents: { Count: > 0 } parents } route
                && parents.All(p => p.Conditions is { Count: > 0 } c && c.All(x => x.ObservedGeneration == route.Metadata.Generation))
                && parents.SingleOrDefault(p => p.ParentRef.Name == "same-namespace") is { } parent
                && ConformanceCluster.Is(parent.Conditions, "Accepted", "True") && ConformanceCluster.Is(parent.Conditions, "ResolvedRefs", "True")),
            TimeSpan.FromSeconds(10),
            $"HTTPRoute {Name}: Accepted and ResolvedRefs of its latest generation",
            TestTimeouts.Token());
}
