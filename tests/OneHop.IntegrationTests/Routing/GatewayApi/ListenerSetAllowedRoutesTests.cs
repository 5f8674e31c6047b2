using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// ListenerSetAllowedRoutesNamespaces and ListenerSetAllowedRoutesSupportedKinds
/// (conformance/tests/listenerset-allowed-routes-namespaces.go, listenerset-allowed-routes-supported-kinds.go): a
/// ListenerSet's listener admits routes by its own <c>allowedRoutes</c>, <c>Same</c> meaning the ListenerSet's namespace
/// (not its Gateway's), and refuses route kinds its protocol cannot carry.
/// </summary>
public sealed class ListenerSetAllowedRoutesTests(ListenerSetAllowedRoutesTests.Gateway gateway) : IClassFixture<ListenerSetAllowedRoutesTests.Gateway>
{
    private const string SameNamespaceSet = "listenerset-test-allowed-routes-namespaces";
    private const string CrossNamespaceSet = "gateway-api-ls-cross-ns/listenerset-test-allowed-routes-cross-ns";

    [Fact]
    public void The_gateway_counts_both_listener_sets() =>
        Assert.Equal(2, gateway.AttachedListenerSets("gateway-with-listener-sets-test-allowed-routes"));

    [Fact]
    public void Each_listener_of_the_same_namespace_listener_set_counts_the_routes_it_admits()
    {
        gateway.RoutesAcceptedByListenerSet(SameNamespaceSet, "route-in-same-namespace", "gateway-api-routes-allowed-ns/route-in-selected-namespace", "gateway-api-routes-not-allowed-ns/route-not-in-selected-namespace");
        gateway.ListenerSetListenerAccepted(SameNamespaceSet, "listener-set-listener-allowed-routes-all", 3);
        gateway.ListenerSetListenerAccepted(SameNamespaceSet, "listener-set-listener-allowed-routes-same", 1);
        gateway.ListenerSetListenerAccepted(SameNamespaceSet, "listener-set-listener-allowed-routes-selector", 1);
    }

    [Fact]
    public void Same_on_a_cross_namespace_listener_set_admits_routes_of_its_namespace_not_of_the_gateways()
    {
        gateway.RoutesAcceptedByListenerSet(CrossNamespaceSet, "gateway-api-ls-cross-ns/route-in-listenerset-namespace");
        gateway.RouteOnListenerSetHas("route-in-gateway-namespace", CrossNamespaceSet, "Accepted", false, "NotAllowedByListeners");
        gateway.ListenerSetListenerAccepted(CrossNamespaceSet, "listener-set-listener-allowed-routes-cross-ns-same", 1);
    }

    [Theory]
    [InlineData("listener-set-listener-allowed-routes-all.com", "/route-in-same-namespace", InfraV1)]
    [InlineData("listener-set-listener-allowed-routes-all.com", "/route-in-selected-namespace", InfraV2)]
    [InlineData("listener-set-listener-allowed-routes-all.com", "/route-not-in-selected-namespace", InfraV3)]
    [InlineData("listener-set-listener-allowed-routes-same.com", "/route-in-same-namespace", InfraV1)]
    [InlineData("listener-set-listener-allowed-routes-same.com", "/route-in-selected-namespace", "404")]
    [InlineData("listener-set-listener-allowed-routes-same.com", "/route-not-in-selected-namespace", "404")]
    [InlineData("listener-set-listener-allowed-routes-selector.com", "/route-in-same-namespace", "404")]
    [InlineData("listener-set-listener-allowed-routes-selector.com", "/route-in-selected-namespace", InfraV2)]
    [InlineData("listener-set-listener-allowed-routes-selector.com", "/route-not-in-selected-namespace", "404")]
    [InlineData("listener-set-listener-allowed-routes-cross-ns-same.com", "/route-in-listenerset-namespace", InfraV1)]
    [InlineData("listener-set-listener-allowed-routes-cross-ns-same.com", "/route-in-gateway-namespace", "404")]
    public Task A_request_reaches_only_the_routes_the_listener_admits(string host, string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path, host), expected);

    [Fact]
    public void A_listener_set_listener_refuses_a_route_kind_its_protocol_cannot_carry()
    {
        gateway.GatewayHas("gateway-with-listener-sets-test-supported-route-kinds", "Accepted=True");
        gateway.ListenerSetListenerHas("listenerset-test-allowed-routes-supported-kinds", "listener-set-listener-allowed-routes-tls-only", null, "ResolvedRefs=False:InvalidRouteKinds");
    }

    /// <summary>Both cases' manifests: their Gateways, ListenerSets and hostnames are apart.</summary>
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "listenerset-allowed-routes-namespaces.yaml")
    {
        protected override Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["listenerset-allowed-routes-supported-kinds.yaml"] = Data("listenerset-allowed-routes-supported-kinds.yaml") });
    }
}
