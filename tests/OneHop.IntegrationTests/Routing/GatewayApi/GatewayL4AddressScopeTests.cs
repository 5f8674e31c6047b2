using System.Net;
using OneHop.IntegrationTests.Proxy.Tcp;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// TCPRoutes scoped by their Gateways' <c>spec.addresses</c> on a wildcard <c>--gateway-address</c> (0.0.0.0): one socket
/// takes every address, and each connection goes to the route of the Gateway whose address it reached (the connection's
/// local address), the Gateway without addresses takes the others. Connections only ever go to loopback addresses.
/// </summary>
public sealed class GatewayL4AddressScopeTests
{
    private const int Port = 17999;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_connection_reaches_the_route_of_the_gateway_whose_address_it_was_sent_to()
    {
        await using var left = TcpEchoPod.Start("left-0");
        await using var right = TcpEchoPod.Start("right-0");
        await using var any = TcpEchoPod.Start("any-0");
        var (leftAddress, rightAddress, otherAddress) = (LoopbackAddresses.Next(), LoopbackAddresses.Next(), LoopbackAddresses.Next());
        var manifests = new Dictionary<string, string>
        {
            ["gateways.yaml"] = $"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {"{name: onehop}"}
                spec: {"{controllerName: onehop.dev/gateway-controller}"}
                ---
                {Gateway("left", leftAddress)}
                ---
                {Gateway("right", rightAddress)}
                ---
                {Gateway("any", null)}
                """,
            ["routes.yaml"] = $"{Route("left")}\n---\n{Route("right")}\n---\n{Route("any")}",
            ["left.yaml"] = Yaml.Service("left", left.Port, left.Ready()),
            ["right.yaml"] = Yaml.Service("right", right.Port, right.Ready()),
            ["any.yaml"] = Yaml.Service("any", any.Port, any.Ready()),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { GatewayAddresses = [IPAddress.Any] });
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(onehop.Server.L4.EndPoints.ContainsKey($"gateway/tcp/0.0.0.0:{Port}")), TimeSpan.FromSeconds(10), "the wildcard TCP listener to be bound", Cancel);

        foreach (var (address, text) in new[] { (leftAddress, "to left"), (rightAddress, "to right"), (rightAddress, "to right again"), (otherAddress, "to any") })
        {
            using var client = await TcpClientHelpers.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), Port), Cancel);
            Assert.Equal(text, await client.EchoAsync(text, Cancel));
        }

        Assert.Equal((1, 2, 1), (left.Connections, right.Connections, any.Connections));
    }

    private static string Gateway(string name, string? address) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{name}}}
        spec:
          gatewayClassName: onehop
        {{(address is null ? string.Empty : $"  addresses: [{{type: IPAddress, value: \"{address}\"}}]")}}
          listeners: [{name: tcp, port: {{Port}}, protocol: TCP}]
        """;

    private static string Route(string name) => $$"""
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: TCPRoute
        metadata: {name: {{name}}}
        spec:
          parentRefs: [{name: {{name}}}]
          rules: [{backendRefs: [{name: {{name}}, port: 80}]}]
        """;
}
