using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayNameMaximumLength (conformance/tests/gateway-name-maximum-length.go), through the API test server: a Gateway
/// whose name has the most characters Kubernetes allows (253) is reconciled, its conditions written at its generation.
/// The suite asserts no condition's value; OneHop accepts and programs it.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class GatewayNameMaximumLengthTests
{
    private static readonly string Name = "gateway-name-maximum-length-" + new string('a', 253 - "gateway-name-maximum-length-".Length);

    [Fact]
    public async Task The_gateway_gets_conditions_of_its_generation()
    {
        await using var cluster = await ConformanceCluster.StartAsync("gateway-name-maximum-length.yaml", TestTimeouts.Token());
        Assert.Equal(253, cluster.Gateway(Name).Metadata.Name.Length);

        await cluster.GatewayStatusAsync(Name, "Accepted and Programmed", s =>
            ConformanceCluster.Is(s.Conditions, "Accepted", "True") && ConformanceCluster.Is(s.Conditions, "Programmed", "True"));
    }
}
