using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteRequestHeaderModifierBackendWeights (conformance/tests/httproute-request-header-modifier-backend-weights.go):
/// each backendRef of a weighted rule sets its own <c>Backend</c> header, so every one of 100 requests reaches a pod of
/// the backend its header names; both backends take some (OneHop's own check that the split still splits).
/// </summary>
public sealed class HttpRouteRequestHeaderModifierBackendWeightsTests(HttpRouteRequestHeaderModifierBackendWeightsTests.Gateway gateway) : IClassFixture<HttpRouteRequestHeaderModifierBackendWeightsTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "request-header-modifier-backend-weights");

    [Fact]
    public async Task Each_backend_gets_the_header_its_backend_ref_sets()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 100; i++)
        {
            var response = await gateway.SendAsync(new ConformanceRequest("/"), TestTimeouts.Token());
            Assert.True(response is { Status: 200, Echo: not null }, $"request {i}: {response}");
            var backend = response.Echo.Header("Backend") ?? "missing";
            Assert.True(backend is InfraV1 or InfraV2, $"request {i}: Backend header {backend}");
            Assert.StartsWith(backend + "-", response.Echo.Pod, StringComparison.Ordinal);
            seen.Add(backend);
        }

        Assert.Equal([InfraV1, InfraV2], seen.Order(StringComparer.Ordinal));
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-request-header-modifier-backend-weights.yaml");
}
