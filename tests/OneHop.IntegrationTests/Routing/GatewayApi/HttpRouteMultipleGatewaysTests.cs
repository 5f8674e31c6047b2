using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteMultipleGateways (conformance/tests/httproute-multiple-gateways.go): a route shared by the Gateways
/// same-namespace and all-namespaces, and one route for <c>/</c> dedicated to each. Both Gateways listen on port 80
/// without a hostname, so they are told apart by address alone: the suite's implementations give each Gateway its own,
/// and here each asks for a loopback address of its own in <c>spec.addresses</c>, both served as <c>--gateway-address</c>es.
/// </summary>
public sealed class HttpRouteMultipleGatewaysTests(HttpRouteMultipleGatewaysTests.Gateway gateway) : IClassFixture<HttpRouteMultipleGatewaysTests.Gateway>
{
    [Fact]
    public void The_routes_are_accepted_by_their_Gateways_which_report_their_own_addresses()
    {
        gateway.RoutesAccepted("same-namespace", "multiple-gateways-shared-route", "same-namespace-dedicated-route");
        gateway.RoutesAccepted("all-namespaces", "multiple-gateways-shared-route", "all-namespaces-dedicated-route");
        var status = gateway.Status().Gateways;
        Assert.Equal([gateway.Address], Assert.Single(status, g => g.Ref.Name == "same-namespace").Addresses ?? []);
        Assert.Equal([gateway.AllNamespacesAddress], Assert.Single(status, g => g.Ref.Name == "all-namespaces").Addresses ?? []);
    }

    [Fact]
    public async Task The_shared_route_is_served_on_both_addresses()
    {
        await gateway.ExpectAsync(new ConformanceRequest("/shared"), InfraV1);
        await gateway.ExpectAsync(new ConformanceRequest("/shared"), InfraV1, address: gateway.AllNamespacesAddress);
    }

    [Fact]
    public Task The_dedicated_route_of_same_namespace_is_served_on_its_address() => gateway.ExpectAsync(new ConformanceRequest("/"), InfraV2);

    [Fact]
    public Task The_dedicated_route_of_all_namespaces_is_served_on_its_address() =>
        gateway.ExpectAsync(new ConformanceRequest("/"), InfraV3, address: gateway.AllNamespacesAddress);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-multiple-gateways.yaml")
    {
        /// <summary>The address Gateway all-namespaces asks for; same-namespace asks for <see cref="ConformanceGateway.Address"/>.</summary>
        internal string AllNamespacesAddress { get; } = LoopbackAddresses.Next();

        protected override bool OnGatewayAddress => true;

        protected override IReadOnlyList<string> MoreAddresses => [AllNamespacesAddress];

        protected override string BaseManifests(string yaml) =>
            WithAddress(WithAddress(yaml, "same-namespace", Address), "all-namespaces", AllNamespacesAddress);

        /// <summary>The base with <c>spec.addresses</c> on the Gateway <paramref name="name"/>.</summary>
        private static string WithAddress(string yaml, string name, string address)
        {
            var spec = $"  name: {name}\n  namespace: {Infra}\nspec:\n";
            Assert.Contains(spec, yaml, StringComparison.Ordinal);
            return yaml.Replace(spec, spec + $"  addresses: [{{type: IPAddress, value: {address}}}]\n", StringComparison.Ordinal);
        }
    }
}
