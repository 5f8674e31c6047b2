using OneHop.IntegrationTests.Routing.GatewayApi.GrpcEcho;
using static OneHop.IntegrationTests.Routing.GatewayApi.GrpcConformanceGateway;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// The suite's GRPCRouteRequestHeaderModifier. Its three Echo rules match alike, so the first (set) serves every Echo
/// call, as the spec's rule order says: the suite's add and remove rows for Echo reach that rule, and are checked here
/// for what it does. EchoTwo's rule sets, adds and removes at once.
/// </summary>
public sealed class GrpcRouteRequestHeaderModifierTests(GrpcRouteRequestHeaderModifierTests.Gateway gateway) : IClassFixture<GrpcRouteRequestHeaderModifierTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "grpc-request-header-modifier");

    [Theory]
    [InlineData("Some-Other-Header: this-header-should-be-set")]
    [InlineData("Some-Other-Header: this-header-should-be-set", "X-Header-Set: this-value-should-be-overwritten")]
    public async Task Set_overwrites_the_header(params string[] metadata)
    {
        var echoed = await gateway.ReachesAsync(V1, "Echo", metadata: metadata);
        Assert.Equal(["set-overwrites-values"], Values(echoed, "X-Header-Set"));
        Assert.Equal(["this-header-should-be-set"], Values(echoed, "Some-Other-Header"));
    }

    [Fact]
    public async Task Several_operations_are_applied_together()
    {
        var echoed = await gateway.ReachesAsync(V2, "EchoTwo", metadata: ["X-Header-Set-2: set-header-2", "X-Header-Add-2: add-header-2", "X-Header-Remove-2: should-be-removed-2", "X-Header-Remove-1: should-be-removed-1", "Some-Other-Header: another-header-val"]);
        Assert.Equal(["header-set-1"], Values(echoed, "X-Header-Set-1"));
        Assert.Equal(["header-set-2"], Values(echoed, "X-Header-Set-2"));
        Assert.Equal(["header-add-1"], Values(echoed, "X-Header-Add-1"));
        Assert.Equal(["add-header-2", "header-add-2"], Values(echoed, "X-Header-Add-2"));
        Assert.Empty(Values(echoed, "X-Header-Remove-1"));
        Assert.Empty(Values(echoed, "X-Header-Remove-2"));
        Assert.Equal(["another-header-val"], Values(echoed, "Some-Other-Header"));
    }

    /// <summary>A header's values as the pod saw them, a comma-joined one split.</summary>
    private static List<string> Values(EchoResponse echoed, string name) =>
        [.. echoed.Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries))];

    public sealed class Gateway(EchoBackends backends) : GrpcConformanceGateway(backends, "grpcroute-request-header-modifier.yaml");
}
