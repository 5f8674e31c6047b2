namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRoute303Redirect, HTTPRoute307Redirect and HTTPRoute308Redirect (conformance/tests/httproute-30x-redirect.go):
/// a redirect with only a status code keeps the request's scheme, host, port and path.
/// </summary>
public abstract class HttpRouteRedirectStatusCodeTests(ConformanceGateway gateway, string route, string path, int status, string method)
{
    [Fact]
    public void The_route_is_accepted_with_its_refs_resolved() => gateway.RoutesAccepted("same-namespace", route);

    [Fact]
    public Task Requests_are_redirected_with_the_status() => gateway.ExpectRedirectAsync(path, status, method: method);
}
