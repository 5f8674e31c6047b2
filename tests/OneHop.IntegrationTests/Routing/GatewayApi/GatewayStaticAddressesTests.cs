using System.Net;
using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control;
using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayStaticAddresses (conformance/tests/gateway-static-addresses.go and .yaml, its placeholders given as the suite's
/// UsableNetworkAddresses and UnusableNetworkAddresses: OneHop's <c>--gateway-address</c>, and a TEST-NET address it does
/// not serve), through the API test server and the status the leader writes: an unsupported address type refuses the
/// Gateway, an address OneHop does not serve leaves it unprogrammed, and the usable one is its only status address.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class GatewayStaticAddressesTests
{
    private const string Name = "gateway-static-addresses";
    private const string Unusable = "198.51.100.7";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_gateway_is_refused_then_unprogrammed_then_served_as_its_bad_addresses_are_removed()
    {
        var usable = LoopbackAddresses.Next();
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(GatewayObjects.Class("onehop"));
        api.Create(new Gateway
        {
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = EchoBackends.Infra },
            Spec = new GatewaySpec
            {
                GatewayClassName = "onehop",
                Addresses =
                [
                    new GatewayAddress { Type = "test/fake-invalid-type", Value = "fake address teehee!" },
                    new GatewayAddress { Value = Unusable },
                    new GatewayAddress { Value = usable },
                ],
                Listeners = [new GatewayListener { Name = "http", Port = 8080, Protocol = "HTTP" }],
            },
        });
        await using var onehop = await OneHopInstance.StartAsync(
            api.CreateClient(),
            Cancel,
            publishing: new StatusPublishingOptions(["203.0.113.20"], null, "default", "onehop-leader", "only")
            {
                LeaseDuration = TimeSpan.FromSeconds(3),
                RenewDeadline = TimeSpan.FromSeconds(2),
                RetryPeriod = TimeSpan.FromMilliseconds(300),
            },
            configure: o => o with { GatewayAddresses = [IPAddress.Parse(usable)] });

        await ConditionAsync(api, "Accepted", "False", "UnsupportedAddress");

        await WithoutAddressAsync(api, "fake address teehee!");
        await ConditionAsync(api, "Programmed", "False", "AddressNotUsable");
        Assert.Equal(("True", "Accepted"), Of(api, "Accepted"));

        await WithoutAddressAsync(api, Unusable);
        await ConditionAsync(api, "Programmed", "True", "Programmed");
        var gateway = api.Get<Gateway>(Name, EchoBackends.Infra)!;
        Assert.Equal(("True", "Accepted"), Of(api, "Accepted"));
        var address = Assert.Single(gateway.Status!.Addresses!);
        Assert.Equal(("IPAddress", usable), (address.Type, address.Value));
        var listener = Assert.Single(gateway.Status.Listeners!);
        Assert.Equal(("http", 0), (listener.Name, listener.AttachedRoutes));
        Assert.All(new[] { "Accepted", "ResolvedRefs" }, type => Assert.Equal("True", Assert.Single(listener.Conditions!, c => c.Type == type).Status));
    }

    private static async Task WithoutAddressAsync(KubeApiServer api, string value)
    {
        var gateway = api.Get<Gateway>(Name, EchoBackends.Infra)!;
        gateway.Spec.Addresses = [.. gateway.Spec.Addresses!.Where(a => a.Value != value)];
        gateway.Metadata.ResourceVersion = null;
        api.Replace(gateway);
    }

    /// <summary>The suite's GatewayMustHaveCondition, on the latest generation.</summary>
    private static Task ConditionAsync(KubeApiServer api, string type, string status, string reason) =>
        OneHopInstance.EventuallyAsync(
            () => Task.FromResult(api.Get<Gateway>(Name, EchoBackends.Infra) is { } g && g.Status?.Conditions?.FirstOrDefault(c => c.Type == type) is { } c
                && (c.Status, c.Reason) == (status, reason) && c.ObservedGeneration == g.Metadata.Generation),
            TimeSpan.FromSeconds(10),
            $"{type}={status} ({reason})",
            Cancel);

    private static (string Status, string Reason) Of(KubeApiServer api, string type) =>
        api.Get<Gateway>(Name, EchoBackends.Infra)!.Status!.Conditions!.Single(c => c.Type == type) is var c ? (c.Status, c.Reason) : default;
}
