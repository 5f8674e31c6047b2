using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayClassObservedGenerationBump (conformance/tests/gatewayclass-observed-generation-bump.go), through the API
/// test server: a new <c>spec.description</c> bumps the GatewayClass's generation, and the Accepted condition the
/// leader writes follows it.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class GatewayClassObservedGenerationBumpTests
{
    private const string Name = "gatewayclass-observed-generation-bump";

    [Fact]
    public async Task Every_condition_takes_the_new_generation_after_the_description_changes()
    {
        await using var cluster = await ConformanceCluster.StartAsync("gatewayclass-observed-generation-bump.yaml", TestTimeouts.Token());
        await AcceptedAtLatestGenerationAsync(cluster);
        var gatewayClass = cluster.Api.Get<GatewayClass>(Name)!;
        var original = gatewayClass.Metadata.Generation;

        gatewayClass.Spec.Description = "new";
        gatewayClass.Metadata.ResourceVersion = null;
        var updated = cluster.Api.Replace(gatewayClass).Metadata.Generation;

        Assert.NotEqual(original, updated);
        await AcceptedAtLatestGenerationAsync(cluster);
        Assert.Equal(updated, cluster.Api.Get<GatewayClass>(Name)!.Metadata.Generation);
    }

    /// <summary>The suite's GWCMustHaveAcceptedConditionAny and GatewayClassMustHaveLatestConditions: 10 s at most.</summary>
    private static Task AcceptedAtLatestGenerationAsync(ConformanceCluster cluster) =>
        OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<GatewayClass>(Name) is { Status.Conditions: { Count: > 0 } conditions } c
                && conditions.All(x => x.ObservedGeneration == c.Metadata.Generation)
                && ConformanceCluster.Is(conditions, "Accepted", "True")),
            TimeSpan.FromSeconds(10),
            $"GatewayClass {Name}: Accepted, every condition of its latest generation",
            TestTimeouts.Token());
}
