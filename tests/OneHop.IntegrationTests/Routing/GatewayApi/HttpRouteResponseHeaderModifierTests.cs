using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteResponseHeaderModifier (conformance/tests/httproute-response-header-modifier.go): the pod's response headers
/// (asked for with X-Echo-Set-Header) set, added to and removed, in any case, and with a request modifier beside it.
/// </summary>
public sealed class HttpRouteResponseHeaderModifierTests(HttpRouteResponseHeaderModifierTests.Gateway gateway) : IClassFixture<HttpRouteResponseHeaderModifierTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "response-header-modifier");

    [Theory]
    [InlineData("/set", new[] { "Some-Other-Header: val" }, new[] { "Some-Other-Header: val", "X-Header-Set: set-overwrites-values" })]
    [InlineData("/set", new[] { "Some-Other-Header: val", "X-Header-Set: some-other-value" }, new[] { "Some-Other-Header: val", "X-Header-Set: set-overwrites-values" })]
    [InlineData("/add", new[] { "Some-Other-Header: val" }, new[] { "Some-Other-Header: val", "X-Header-Add: add-appends-values" })]
    [InlineData("/add", new[] { "Some-Other-Header: val", "X-Header-Add: some-other-value" }, new[] { "Some-Other-Header: val", "X-Header-Add: some-other-value,add-appends-values" })]
    [InlineData("/remove", new[] { "X-Header-Remove: val" }, new string[] { }, "X-Header-Remove")]
    [InlineData(
        "/multiple",
        new[] { "X-Header-Set-2: set-val-2", "X-Header-Add-2: add-val-2", "X-Header-Remove-2: remove-val-2", "Another-Header: another-header-val", "X-Header-Remove-1: val" },
        new[] { "X-Header-Set-1: header-set-1", "X-Header-Set-2: header-set-2", "X-Header-Add-1: header-add-1", "X-Header-Add-2: add-val-2,header-add-2", "X-Header-Add-3: header-add-3", "Another-Header: another-header-val" },
        "X-Header-Remove-1",
        "X-Header-Remove-2")]
    [InlineData(
        "/case-insensitivity",
        new[] { "x-header-set: original-val-set", "x-header-add: original-val-add", "x-header-remove: original-val-remove", "Another-Header: another-header-val" },
        new[] { "X-Header-Set: header-set", "X-Header-Add: original-val-add,header-add", "X-Lowercase-Add: lowercase-add", "X-Mixedcase-Add-1: mixedcase-add-1", "X-Mixedcase-Add-2: mixedcase-add-2", "X-Uppercase-Add: uppercase-add", "Another-Header: another-header-val" },
        "x-header-remove",
        "X-Header-Remove")]
    public async Task The_client_gets_the_pods_headers_as_the_filter_modifies_them(string path, string[] fromPod, string[] expected, params string[] absent)
    {
        var request = new ConformanceRequest(path, EchoSetHeaders: fromPod);
        var response = await gateway.SendAsync(request, TestTimeouts.Token());
        ConformanceAssert.Reached(response, request, InfraV1);
        ConformanceAssert.HeadersAre(response.Header, $"{request}, at the client", expected, absent);
    }

    [Fact]
    public async Task A_request_modifier_beside_it_changes_what_the_pod_gets()
    {
        var request = new ConformanceRequest(
            "/response-and-request-header-modifiers",
            Headers: ["X-Header-Remove: remove-val", "X-Header-Add-Append: append-val-1", "X-Header-Echo: echo"],
            EchoSetHeaders: ["X-Header-Set-2: set-val-2", "X-Header-Add-2: add-val-2", "X-Header-Remove-2: remove-val-2", "Another-Header: another-header-val", "X-Header-Remove-1: remove-val-1", "X-Header-Echo: echo"]);
        var response = await gateway.SendAsync(request, TestTimeouts.Token());
        var echo = ConformanceAssert.Reached(response, request, InfraV1);
        ConformanceAssert.HeadersAre(
            echo.Header,
            $"{request}, at the pod",
            ["X-Header-Add: header-val-1", "X-Header-Set: set-overwrites-values", "X-Header-Add-Append: append-val-1,header-val-2", "X-Header-Echo: echo"],
            ["X-Header-Remove"]);
        ConformanceAssert.HeadersAre(
            response.Header,
            $"{request}, at the client",
            ["X-Header-Set-1: header-set-1", "X-Header-Set-2: header-set-2", "X-Header-Add-1: header-add-1", "X-Header-Add-2: add-val-2,header-add-2", "Another-Header: another-header-val", "X-Header-Echo: echo"],
            ["X-Header-Remove-1", "X-Header-Remove-2"]);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-response-header-modifier.yaml");
}
