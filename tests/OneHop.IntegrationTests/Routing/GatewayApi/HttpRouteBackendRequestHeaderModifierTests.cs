using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteBackendRequestHeaderModifier (conformance/tests/httproute-request-header-modifier.go, with
/// httproute-request-header-modifier-backend.yaml): the same rows as <see cref="HttpRouteRequestHeaderModifierTests"/>,
/// the filters on each rule's backendRef instead of the rule.
/// </summary>
public sealed class HttpRouteBackendRequestHeaderModifierTests(HttpRouteBackendRequestHeaderModifierTests.Gateway gateway) : IClassFixture<HttpRouteBackendRequestHeaderModifierTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "request-header-modifier");

    [Theory]
    [MemberData(nameof(HttpRouteRequestHeaderModifierTests.Cases), MemberType = typeof(HttpRouteRequestHeaderModifierTests))]
    public async Task The_pod_gets_the_headers_as_the_backends_filter_modifies_them(string path, string[] sent, string[] expected, string[] absent)
    {
        var request = new ConformanceRequest(path, Headers: sent);
        var echo = ConformanceAssert.Reached(await gateway.SendAsync(request, TestTimeouts.Token()), request, InfraV1);
        ConformanceAssert.HeadersAre(echo.Header, $"{request}, at the pod", expected, absent);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-request-header-modifier-backend.yaml");
}
