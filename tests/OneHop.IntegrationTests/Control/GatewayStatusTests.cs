using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control;
using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.KubeObjects;

namespace OneHop.IntegrationTests.Control;

/// <summary>The leader writes the status Gateway API asks of a controller: class, Gateway, listeners, route parents.</summary>
[Collection(nameof(TimingSensitive))]
public sealed class GatewayStatusTests
{
    private const string Address = "203.0.113.20";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_leader_writes_class_gateway_listener_and_route_status_once_and_keeps_other_controllers_entries()
    {
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(Service("web"));
        api.Create(GatewayObjects.Class("onehop"));
        api.Create(GatewayObjects.Gateway("edge"));
        api.Create(GatewayObjects.Route("site", "shop.example.com", "web"));
        // Another controller's entry, written before OneHop starts (a create drops status, as the real server does).
        var broken = api.Create(GatewayObjects.Route("broken", "broken.example.com", "no-such-service"));
        broken.Status = new RouteStatus
        {
            Parents = [new RouteParentStatus { ControllerName = "example.com/other", ParentRef = new ParentReference { Name = "theirs" }, Conditions = [new V1Condition { Type = "Accepted", Status = "True", Reason = "Accepted", LastTransitionTime = DateTime.UtcNow }] }],
        };
        api.ReplaceStatus(broken);
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: new StatusPublishingOptions([Address], null, "default", "onehop-leader", "only")
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        });

        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(api.Get<HttpRoute>("broken")?.Status?.Parents?.Count == 2 && api.Get<Gateway>("edge")?.Status?.Listeners is { Count: 1 }),
            TimeSpan.FromSeconds(10),
            "the status to be written",
            Cancel);

        var gatewayClass = api.Get<GatewayClass>("onehop")!;
        Assert.Equal(("Accepted", "True", 1L), Single(gatewayClass.Status?.Conditions, "Accepted"));

        var gateway = api.Get<Gateway>("edge")!;
        Assert.Equal(("Accepted", "True", 1L), Single(gateway.Status?.Conditions, "Accepted"));
        Assert.Equal(("Programmed", "True", 1L), Single(gateway.Status?.Conditions, "Programmed"));
        Assert.Equal(Address, Assert.Single(gateway.Status!.Addresses!).Value);
        var listener = Assert.Single(gateway.Status.Listeners!);
        Assert.Equal(("http", 2), (listener.Name, listener.AttachedRoutes));
        Assert.Equal(["HTTPRoute", "GRPCRoute"], listener.SupportedKinds!.Select(k => k.Kind));

        var site = Assert.Single(api.Get<HttpRoute>("site")!.Status!.Parents!);
        Assert.Equal(GatewayApiNames.ControllerName, site.ControllerName);
        Assert.Equal(("edge", "Accepted", "True"), (site.ParentRef.Name, Condition(site.Conditions, "Accepted").Reason, Condition(site.Conditions, "Accepted").Status));
        Assert.Equal("True", Condition(site.Conditions, "ResolvedRefs").Status);

        var parents = api.Get<HttpRoute>("broken")!.Status!.Parents!;
        Assert.Contains(parents, p => p.ControllerName == "example.com/other" && p.ParentRef.Name == "theirs");
        var ours = Assert.Single(parents, p => p.ControllerName == GatewayApiNames.ControllerName);
        Assert.Equal(("False", "BackendNotFound"), (Condition(ours.Conditions, "ResolvedRefs").Status, Condition(ours.Conditions, "ResolvedRefs").Reason));

        // Nothing changes: nothing is written again.
        var writes = api.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/status", StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(2), Cancel);
        Assert.Equal(writes, api.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/status", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_leader_writes_a_grpcroutes_status_apart_from_an_httproute_of_the_same_name()
    {
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(Service("web"));
        api.Create(GatewayObjects.Class("onehop"));
        api.Create(GatewayObjects.Gateway("edge"));
        api.Create(GatewayObjects.GrpcRoute("shop", "web"));
        api.Create(GatewayObjects.Route("shop", "shop.example.com", "no-such-service"));
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: new StatusPublishingOptions([Address], null, "default", "onehop-leader", "only")
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        });

        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(api.Get<GrpcRoute>("shop")?.Status?.Parents is { Count: 1 } && api.Get<HttpRoute>("shop")?.Status?.Parents is { Count: 1 }),
            TimeSpan.FromSeconds(10),
            "both routes' status to be written",
            Cancel);

        // Port 80 carries both (HTTP/1.1 and h2c): each route with its own conditions, the HTTPRoute's backend unresolved.
        var grpc = Assert.Single(api.Get<GrpcRoute>("shop")!.Status!.Parents!);
        Assert.Equal(GatewayApiNames.ControllerName, grpc.ControllerName);
        Assert.Equal(("True", "Accepted"), (Condition(grpc.Conditions, "Accepted").Status, Condition(grpc.Conditions, "Accepted").Reason));
        Assert.Equal("True", Condition(grpc.Conditions, "ResolvedRefs").Status);
        var http = Assert.Single(api.Get<HttpRoute>("shop")!.Status!.Parents!);
        Assert.Equal(("True", "False"), (Condition(http.Conditions, "Accepted").Status, Condition(http.Conditions, "ResolvedRefs").Status));
    }

    private static (string Type, string Status, long Generation) Single(IList<V1Condition>? conditions, string type)
    {
        var condition = Assert.Single(conditions ?? [], c => c.Type == type);
        return (condition.Type, condition.Status, condition.ObservedGeneration ?? 0);
    }

    private static V1Condition Condition(IList<V1Condition>? conditions, string type) => Assert.Single(conditions ?? [], c => c.Type == type);
}
