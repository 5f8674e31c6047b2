using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// ListenerSetGatewayParentSectionNameNotFound, ListenerSetDualParentRefIndependence and
/// ListenerSetRouteStatusScopedToParentRef (conformance/tests/listenerset-gateway-parent-section-name-not-found.go,
/// listenerset-dual-parentref-independence.go, listenerset-route-status-scoped-to-parentref.go): a parentRef to the
/// Gateway reaches the Gateway's own listeners, one to a ListenerSet that set's alone, each with its own parent status.
/// </summary>
public sealed class ListenerSetParentRefsTests(ListenerSetParentRefsTests.Gateway gateway) : IClassFixture<ListenerSetParentRefsTests.Gateway>
{
    [Fact]
    public void A_gateway_parent_ref_cannot_name_a_listener_set_listener()
    {
        Assert.Equal(1, gateway.AttachedListenerSets("gateway-section-name"));
        gateway.RoutesAcceptedByListenerSet("listenerset-section-name", "route-via-listenerset");
        gateway.RouteHas("route-via-gateway", "gateway-section-name", "Accepted", false, "NoMatchingParent");
    }

    [Fact]
    public void A_route_with_both_parent_refs_gets_a_status_for_each()
    {
        Assert.Equal(1, gateway.AttachedListenerSets("gateway-dual-parentref"));
        gateway.ListenerSetListenerAccepted("ls-dual-parentref", "ls-dual-parentref-listener", 2);
        gateway.RouteHas("route-dual-parentref-both", "gateway-dual-parentref", "Accepted", true);
        gateway.RouteOnListenerSetHas("route-dual-parentref-both", "ls-dual-parentref", "Accepted", true);
        gateway.RouteHas("route-dual-parentref-one", "gateway-dual-parentref", "Accepted", false, "NoMatchingParent");
        gateway.RoutesAcceptedByListenerSet("ls-dual-parentref", "route-dual-parentref-one");
    }

    [Fact]
    public void A_route_has_a_status_for_the_parent_it_names_alone()
    {
        Assert.Equal(1, gateway.AttachedListenerSets("gateway-parentref"));
        gateway.ListenerSetListenerAccepted("listenerset-parentref", "listenerset-parentref-listener", 1);
        var gatewayOnly = Assert.Single(gateway.Status().Routes, r => r.Ref.Name == "route-parentref-gwonly");
        Assert.Null(Assert.Single(gatewayOnly.Parents).ListenerSet);
        gateway.RouteHas("route-parentref-gwonly", "gateway-parentref", "Accepted", true);
        var setOnly = Assert.Single(gateway.Status().Routes, r => r.Ref.Name == "route-parentref-lsonly");
        Assert.Equal("listenerset-parentref", Assert.Single(setOnly.Parents).ListenerSet?.Name);
        gateway.RoutesAcceptedByListenerSet("listenerset-parentref", "route-parentref-lsonly");
    }

    [Theory]
    [InlineData("ls-section-name.com", "/goodsection", InfraV1)]
    [InlineData("gw-section.com", "/badsection", "404")]
    [InlineData("gw-dual.com", "/dualboth", InfraV1)]
    [InlineData("ls-dual.com", "/dualboth", InfraV1)]
    [InlineData("ls-dual.com", "/dualone", InfraV2)]
    [InlineData("gw-dual.com", "/dualone", "404")]
    [InlineData("gw-parentref.com", "/gwonly", InfraV1)]
    [InlineData("listenerset-parentref.com", "/gwonly", "404")]
    [InlineData("listenerset-parentref.com", "/lsonly", InfraV2)]
    [InlineData("gw-parentref.com", "/lsonly", "404")]
    public Task A_request_reaches_the_routes_of_its_listener_alone(string host, string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path, host), expected);

    /// <summary>The three cases' manifests: their Gateways, ListenerSets and hostnames are apart.</summary>
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "listenerset-gateway-parent-section-name-not-found.yaml")
    {
        protected override Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(new[] { "listenerset-dual-parentref-independence.yaml", "listenerset-route-status-scoped-to-parentref.yaml" }.ToDictionary(f => f, Data));
    }
}
