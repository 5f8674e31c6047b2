using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>A Gateway's <c>spec.addresses</c> against OneHop's <c>--gateway-address</c>es and this host's addresses.</summary>
public sealed class GatewayAddressesTests
{
    private static readonly GatewaySettings OnOneAddress = new() { Addresses = [IPAddress.Parse("192.0.2.10")] };
    private static readonly GatewaySettings OnEveryAddress = new() { HostAddresses = [IPAddress.Parse("192.0.2.10"), IPAddress.Loopback] };

    [Theory]
    [InlineData("[{type: Hostname, value: edge.example.com}]", "Accepted", "False", "UnsupportedAddress")]
    [InlineData("[{type: example.com/custom, value: x}]", "Accepted", "False", "UnsupportedAddress")]
    [InlineData("[{value: not-an-ip}]", "Accepted", "False", "UnsupportedAddress")]
    [InlineData("[{value: 192.0.2.11}]", "Programmed", "False", "AddressNotUsable")]
    [InlineData("[{value: 192.0.2.10}, {type: IPAddress, value: 192.0.2.11}]", "Programmed", "False", "AddressNotUsable")]
    [InlineData("[{value: 192.0.2.10}]", "Programmed", "True", "Programmed")]
    [InlineData("[{type: IPAddress}]", "Programmed", "True", "Programmed")]
    public void Each_address_is_checked_against_where_onehop_serves_gateways(string addresses, string type, string status, string reason)
    {
        var gateway = Assert.Single(Translate(addresses, OnOneAddress).GatewayStatus.Gateways);

        Assert.Contains(gateway.Conditions, c => c.Type == type && c.Status == (status == "True") && c.Reason == reason);
    }

    [Fact]
    public void A_gateway_whose_address_is_not_served_serves_no_listener_and_says_why_on_each()
    {
        var result = Translate("[{value: 192.0.2.11}]", OnOneAddress);

        Assert.Empty(result.Snapshot.Routes.Where(r => r.Port == 80));
        var listener = Assert.Single(Assert.Single(result.GatewayStatus.Gateways).Listeners);
        Assert.Contains(listener.Conditions, c => c is { Type: "Programmed", Status: false, Reason: "AddressNotUsable" });
        Assert.Contains(result.Diagnostics, d => d.Field == "spec.addresses" && d.Message.StartsWith("spec.addresses[0]: OneHop does not serve Gateways on 192.0.2.11", StringComparison.Ordinal));
    }

    [Fact]
    public void Served_addresses_are_the_status_addresses_and_an_empty_value_takes_the_published_ones()
    {
        Assert.Equal(["192.0.2.10"], Assert.Single(Translate("[{value: 192.0.2.10}, {type: IPAddress}]", OnOneAddress).GatewayStatus.Gateways).Addresses ?? []);
        Assert.Null(Assert.Single(Translate("[{type: IPAddress}]", OnOneAddress).GatewayStatus.Gateways).Addresses);
        Assert.Single(Translate("[{value: 192.0.2.10}]", OnOneAddress).Snapshot.Routes, r => r.Port == 80);
    }

    [Theory]
    [InlineData("192.0.2.10", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("192.0.2.99", false)]
    public void Under_a_wildcard_gateway_address_the_hosts_own_addresses_are_usable(string address, bool usable)
    {
        var gateway = Assert.Single(Translate($"[{{value: {address}}}]", OnEveryAddress).GatewayStatus.Gateways);

        Assert.Contains(gateway.Conditions, c => c.Type == "Programmed" && c.Status == usable);
    }

    private static TranslationResult Translate(string addresses, GatewaySettings settings)
    {
        var yaml = $"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {"{"}name: onehop{"}"}
            spec: {"{"}controllerName: onehop.dev/gateway-controller{"}"}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {"{"}name: edge, namespace: default{"}"}
            spec:
              gatewayClassName: onehop
              addresses: {addresses}
              listeners: [{"{"}name: http, port: 80, protocol: HTTP{"}"}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {"{"}name: web, namespace: default{"}"}
            spec:
              parentRefs: [{"{"}name: edge{"}"}]
              rules: [{"{"}backendRefs: [{"{"}name: web, port: 80{"}"}]{"}"}]
            ---

            """ + Manifests.Service("web", "10.0.0.1");
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), OneHopConfig.Default with { Gateway = settings }));
    }
}
