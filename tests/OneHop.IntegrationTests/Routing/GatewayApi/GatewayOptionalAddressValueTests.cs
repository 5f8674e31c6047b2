using System.Net;
using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control;
using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayOptionalAddressValue (conformance/tests/gateway-optional-address-value.go and .yaml, provisional; its
/// PLACEHOLDER_ADDRESS_TYPE given as <c>IPAddress</c>), through the API test server and the status the leader writes: a
/// Gateway whose address entry has a type and no value is accepted and programmed on its latest generation, and gets an
/// address assigned in its status (OneHop's published one).
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class GatewayOptionalAddressValueTests
{
    private const string Name = "gateway-without-address-value";
    private const string Published = "203.0.113.21";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_gateway_asking_for_any_address_is_programmed_and_assigned_one()
    {
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(GatewayObjects.Class("onehop"));
        api.Create(new Gateway
        {
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = EchoBackends.Infra },
            Spec = new GatewaySpec
            {
                GatewayClassName = "onehop",
                Addresses = [new GatewayAddress { Type = "IPAddress" }],
                Listeners = [new GatewayListener { Name = "http", Port = 8080, Protocol = "HTTP" }],
            },
        });
        await using var onehop = await OneHopInstance.StartAsync(
            api.CreateClient(),
            Cancel,
            publishing: new StatusPublishingOptions([Published], null, "default", "onehop-leader", "only")
            {
                LeaseDuration = TimeSpan.FromSeconds(3),
                RenewDeadline = TimeSpan.FromSeconds(2),
                RetryPeriod = TimeSpan.FromMilliseconds(300),
            },
            configure: o => o with { GatewayAddresses = [IPAddress.Parse(LoopbackAddresses.Next())] });

        // The suite's GatewayMustHaveLatestConditions, then WaitForGatewayAddress.
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(api.Get<Gateway>(Name, EchoBackends.Infra) is { } g
                && g.Status?.Conditions is { Count: > 0 } conditions
                && conditions.All(c => c.ObservedGeneration == g.Metadata.Generation)
                && g.Status.Addresses is { Count: > 0 }),
            TimeSpan.FromSeconds(10),
            "the Gateway's conditions on its generation and an address",
            Cancel);

        var gateway = api.Get<Gateway>(Name, EchoBackends.Infra)!;
        Assert.All(new[] { "Accepted", "Programmed" }, type => Assert.Equal("True", Assert.Single(gateway.Status!.Conditions!, c => c.Type == type).Status));
        var address = Assert.Single(gateway.Status!.Addresses!);
        Assert.Equal(("IPAddress", Published), (address.Type, address.Value));
        var listener = Assert.Single(gateway.Status.Listeners!);
        Assert.Equal("http", listener.Name);
        Assert.Equal("True", Assert.Single(listener.Conditions!, c => c.Type == "Programmed").Status);
    }
}
