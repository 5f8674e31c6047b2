using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// ListenerSetHTTPRouting (conformance/tests/listenerset-http-routing.go) through the API test server: OneHop watches
/// ListenerSets and writes their status (conditions, listeners with attachedRoutes), the Gateway's
/// <c>attachedListenerSets</c> and routes' parents of kind ListenerSet, as the suite reads them
/// (ListenerSetStatusMustHaveListeners, GatewayMustHaveAttachedListeners, RoutesAndParentMustBeAccepted).
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class ListenerSetApiStatusTests
{
    private const string GatewayName = "gateway-with-listener-sets-http-routing";
    private const string SetName = "listener-set-http-routing-1";

    [Fact]
    public async Task The_listener_set_the_gateway_and_the_routes_get_their_status_and_the_set_serves()
    {
        await using var cluster = await ConformanceCluster.StartAsync("listenerset-http-routing.yaml", TestTimeouts.Token());
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<ListenerSet>(SetName, Infra) is { Status: { Conditions.Count: > 0 } status } set
                && status.Conditions!.All(c => c.ObservedGeneration == set.Metadata.Generation)
                && ConformanceCluster.Is(status.Conditions, "Accepted", "True") && ConformanceCluster.Is(status.Conditions, "Programmed", "True")
                && status.Listeners is { Count: 2 } listeners
                && listeners.Single(l => l.Name == "listener-set-http-routing-1-listener-1").AttachedRoutes == 3
                && listeners.Single(l => l.Name == "listener-set-http-routing-1-listener-2").AttachedRoutes == 2
                && listeners.All(l => ConformanceCluster.Is(l.Conditions, "Accepted", "True") && ConformanceCluster.Is(l.Conditions, "Programmed", "True")
                    && ConformanceCluster.Is(l.Conditions, "ResolvedRefs", "True") && l.SupportedKinds.Any(k => k.Kind == "HTTPRoute"))),
            TimeSpan.FromSeconds(10),
            $"ListenerSet {SetName}: accepted, programmed, its listeners with 3 and 2 routes",
            TestTimeouts.Token());

        await cluster.GatewayStatusAsync(GatewayName, "2 attached ListenerSets", s => s.AttachedListenerSets == 2 && s.Listeners?.Count == 2);
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<HttpRoute>("listener-set-http-routing-1-route", Infra)?.Status?.Parents is [{ } parent]
                && parent.ParentRef is { Kind: "ListenerSet", Name: SetName, Namespace: Infra, Group: GatewayApiNames.Group }
                && parent.ControllerName == GatewayApiNames.ControllerName
                && ConformanceCluster.Is(parent.Conditions, "Accepted", "True") && ConformanceCluster.Is(parent.Conditions, "ResolvedRefs", "True")),
            TimeSpan.FromSeconds(10),
            "HTTPRoute listener-set-http-routing-1-route: one parent, the ListenerSet, accepted",
            TestTimeouts.Token());

        // No pod is listed (see ConformanceCluster): a served route answers 503, one not served there 404.
        await cluster.ExpectStatusAsync(new ConformanceRequest("/listener-set-http-routing-1-route", "listener-set-http-routing-1-listener-2.com"), 503);
        await cluster.ExpectStatusAsync(new ConformanceRequest("/listener-set-http-routing-1-route", "gateway-listener-1.com"), 404);
    }

    [Fact]
    public async Task A_listener_set_the_gateway_does_not_allow_is_refused_in_its_status()
    {
        await using var cluster = await ConformanceCluster.StartAsync("listenerset-default-not-allowed.yaml", TestTimeouts.Token());
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<ListenerSet>("listenerset-default-not-allowed", Infra)?.Status?.Conditions is { } conditions
                && conditions.Any(c => c is { Type: "Accepted", Status: "False", Reason: "NotAllowed" })
                && conditions.Any(c => c is { Type: "Programmed", Status: "False", Reason: "NotAllowed" })),
            TimeSpan.FromSeconds(10),
            "ListenerSet listenerset-default-not-allowed: Accepted=False and Programmed=False, NotAllowed",
            TestTimeouts.Token());
        await cluster.GatewayStatusAsync("gateway-default-does-not-allow-listenerset", "no attachedListenerSets", s => (s.AttachedListenerSets ?? 0) == 0);
        await cluster.ExpectStatusAsync(new ConformanceRequest("/", "listenerset-default-not-allowed-listener.com"), 404);
    }
}
