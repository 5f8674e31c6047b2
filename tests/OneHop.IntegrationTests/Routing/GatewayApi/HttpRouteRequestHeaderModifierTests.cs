using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteRequestHeaderModifier (conformance/tests/httproute-request-header-modifier.go): set replaces, add appends,
/// remove drops, header names in any case.
/// </summary>
public sealed class HttpRouteRequestHeaderModifierTests(HttpRouteRequestHeaderModifierTests.Gateway gateway) : IClassFixture<HttpRouteRequestHeaderModifierTests.Gateway>
{
    /// <summary>The suite's rows: path, headers sent, headers the pod must get, headers it must not.</summary>
    public static readonly TheoryData<string, string[], string[], string[]> Cases = new()
    {
        { "/set", ["Some-Other-Header: val"], ["Some-Other-Header: val", "X-Header-Set: set-overwrites-values"], [] },
        { "/set", ["Some-Other-Header: val", "X-Header-Set: some-other-value"], ["Some-Other-Header: val", "X-Header-Set: set-overwrites-values"], [] },
        { "/add", ["Some-Other-Header: val"], ["Some-Other-Header: val", "X-Header-Add: add-appends-values"], [] },
        { "/add", ["Some-Other-Header: val", "X-Header-Add: some-other-value"], ["Some-Other-Header: val", "X-Header-Add: some-other-value,add-appends-values"], [] },
        { "/remove", ["X-Header-Remove: val"], [], ["X-Header-Remove"] },
        {
            "/multiple",
            ["X-Header-Set-2: set-val-2", "X-Header-Add-2: add-val-2", "X-Header-Remove-2: remove-val-2", "Another-Header: another-header-val"],
            ["X-Header-Set-1: header-set-1", "X-Header-Set-2: header-set-2", "X-Header-Add-1: header-add-1", "X-Header-Add-2: add-val-2,header-add-2", "X-Header-Add-3: header-add-3", "Another-Header: another-header-val"],
            ["X-Header-Remove-1", "X-Header-Remove-2"]
        },
        {
            "/case-insensitivity",
            ["x-header-set: original-val-set", "x-header-add: original-val-add", "x-header-remove: original-val-remove", "Another-Header: another-header-val"],
            ["X-Header-Set: header-set", "X-Header-Add: original-val-add,header-add", "Another-Header: another-header-val"],
            ["x-header-remove", "X-Header-Remove"]
        },
    };

    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "request-header-modifier");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_pod_gets_the_headers_as_the_filter_modifies_them(string path, string[] sent, string[] expected, string[] absent)
    {
        var request = new ConformanceRequest(path, Headers: sent);
        var echo = ConformanceAssert.Reached(await gateway.SendAsync(request, TestTimeouts.Token()), request, InfraV1);
        ConformanceAssert.HeadersAre(echo.Header, $"{request}, at the pod", expected, absent);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-request-header-modifier.yaml");
}
