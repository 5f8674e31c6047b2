using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteHostnameIntersection (conformance/tests/httproute-hostname-intersection.go): routes attach to the listeners
/// whose hostnames intersect theirs and serve only the intersection. The test's two Gateways share port 80 here, so one
/// OneHop listener serves both; their hostnames do not overlap, so no case can tell them apart.
/// </summary>
public sealed class HttpRouteHostnameIntersectionTests(HttpRouteHostnameIntersectionTests.Gateway gateway) : IClassFixture<HttpRouteHostnameIntersectionTests.Gateway>
{
    private const string Intersection = "httproute-hostname-intersection";

    [Fact]
    public void Routes_with_intersecting_hostnames_are_accepted_with_their_backends_resolved() => gateway.RoutesAccepted(
        Intersection,
        "specific-host-matches-listener-specific-host",
        "specific-host-matches-listener-wildcard-host",
        "wildcard-host-matches-listener-specific-host",
        "wildcard-host-matches-listener-wildcard-host");

    [Theory]
    [InlineData("very.specific.com", "/s1", InfraV1)]
    [InlineData("very.specific.com:1234", "/s1", InfraV1)]
    [InlineData("non.matching.com", "/s1", "404")]
    [InlineData("foo.nonmatchingwildcard.io", "/s1", "404")]
    [InlineData("foo.wildcard.io", "/s1", "404")]
    [InlineData("very.specific.com", "/non-matching-prefix", "404")]
    [InlineData("foo.wildcard.io", "/s2", InfraV2)]
    [InlineData("bar.wildcard.io", "/s2", InfraV2)]
    [InlineData("foo.bar.wildcard.io", "/s2", InfraV2)]
    [InlineData("non.matching.com", "/s2", "404")]
    [InlineData("wildcard.io", "/s2", "404")]
    [InlineData("very.specific.com", "/s2", "404")]
    [InlineData("foo.wildcard.io", "/non-matching-prefix", "404")]
    [InlineData("very.specific.com", "/s3", InfraV3)]
    [InlineData("non.matching.com", "/s3", "404")]
    [InlineData("foo.specific.com", "/s3", "404")]
    [InlineData("foo.wildcard.io", "/s3", "404")]
    [InlineData("foo.anotherwildcard.io", "/s4", InfraV1)]
    [InlineData("bar.anotherwildcard.io", "/s4", InfraV1)]
    [InlineData("foo.bar.anotherwildcard.io", "/s4", InfraV1)]
    [InlineData("anotherwildcard.io", "/s4", "404")]
    [InlineData("foo.wildcard.io", "/s4", "404")]
    [InlineData("very.specific.com", "/s4", "404")]
    [InlineData("foo.anotherwildcard.io", "/non-matching-prefix", "404")]
    public Task Routes_serve_only_the_hostnames_they_share_with_their_listener(string host, string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path, host), expected);

    [Fact]
    public void A_route_whose_hostnames_intersect_no_listener_is_not_accepted() =>
        gateway.RouteHas("no-intersecting-hosts", Intersection, "Accepted", false, "NoMatchingListenerHostname");

    [Theory]
    [InlineData("specific.but.wrong.com")]
    [InlineData("wildcard.io")]
    public Task A_route_that_is_not_accepted_serves_nothing(string host) =>
        gateway.ExpectAsync(new ConformanceRequest("/s5", host), "404");

    [Fact]
    public void Listeners_count_only_the_routes_they_accepted()
    {
        gateway.ListenerHas(Intersection, "listener-1", 2, ConformanceAssert.HttpRoutes, "Accepted=True", "ResolvedRefs=True");
        gateway.ListenerHas(Intersection, "listener-2", 1, ConformanceAssert.HttpRoutes, "Accepted=True", "ResolvedRefs=True");
        gateway.ListenerHas(Intersection, "listener-3", 1, ConformanceAssert.HttpRoutes, "Accepted=True", "ResolvedRefs=True");
    }

    [Fact]
    public void A_route_on_a_listener_without_hostname_is_accepted() =>
        gateway.RoutesAccepted("httproute-hostname-intersection-all", "httproute-hostname-intersection-all");

    [Theory]
    [InlineData("first.com", InfraV2)]
    [InlineData("sub.first.com", InfraV2)]
    [InlineData("second.com", InfraV2)]
    [InlineData("sub.second.com", InfraV2)]
    [InlineData("third.com", "404")]
    [InlineData("sub.third.com", "404")]
    public Task A_listener_without_hostname_serves_the_routes_hostnames(string host, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest("/", host), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-hostname-intersection.yaml");
}
