using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// A Gateway whose listeners all come from ListenerSets (GEP-1713, "Gateway Changes": <c>spec.listeners</c> empty,
/// <c>status.listeners</c> empty), through the API test server: the Gateway is accepted and programmed, its ListenerSet is
/// accepted (not ParentNotAccepted) and serves its route, and a second ListenerSet with an invalid listener is refused
/// without disturbing the first.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class ListenerSetOnlyGatewayTests
{
    private const string Manifest = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: listeners-from-sets, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: onehop
          allowedListeners: {namespaces: {from: Same}}
          listeners: []
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: ListenerSet
        metadata: {name: good-set, namespace: gateway-conformance-infra}
        spec:
          parentRef: {kind: Gateway, group: gateway.networking.k8s.io, name: listeners-from-sets}
          listeners:
          - {name: http, port: 80, protocol: HTTP, hostname: set.example.com}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: ListenerSet
        metadata: {name: bad-set, namespace: gateway-conformance-infra}
        spec:
          parentRef: {kind: Gateway, group: gateway.networking.k8s.io, name: listeners-from-sets}
          listeners:
          - {name: sctp, port: 81, protocol: SCTP}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: set-route, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{kind: ListenerSet, name: good-set}]
          rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: gateway-route, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: listeners-from-sets}]
          rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
        """;

    [Fact]
    public async Task The_gateway_and_its_listener_set_are_accepted_and_the_set_serves()
    {
        await using var cluster = await ConformanceCluster.StartAsync("listenerset-only-gateway.yaml", Manifest, TestTimeouts.Token());

        await cluster.GatewayStatusAsync(
            "listeners-from-sets",
            "Accepted and Programmed with no listeners of its own and 1 attached ListenerSet",
            s => ConformanceCluster.Is(s.Conditions, "Accepted", "True") && ConformanceCluster.Is(s.Conditions, "Programmed", "True")
                && (s.Listeners ?? []).Count == 0 && s.AttachedListenerSets == 1);
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<ListenerSet>("good-set", Infra)?.Status is { } status
                && ConformanceCluster.Is(status.Conditions, "Accepted", "True") && ConformanceCluster.Is(status.Conditions, "Programmed", "True")
                && status.Listeners is [{ Name: "http", AttachedRoutes: 1 }]),
            TimeSpan.FromSeconds(10),
            "ListenerSet good-set: accepted, programmed, its listener with 1 route",
            TestTimeouts.Token());
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<ListenerSet>("bad-set", Infra)?.Status?.Conditions is { } conditions
                && conditions.Any(c => c is { Type: "Accepted", Status: "False", Reason: "ListenersNotValid" })),
            TimeSpan.FromSeconds(10),
            "ListenerSet bad-set: Accepted=False, ListenersNotValid",
            TestTimeouts.Token());
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<HttpRoute>("set-route", Infra)?.Status?.Parents is [{ } parent]
                && parent.ParentRef is { Kind: "ListenerSet", Name: "good-set" } && ConformanceCluster.Is(parent.Conditions, "Accepted", "True")),
            TimeSpan.FromSeconds(10),
            "HTTPRoute set-route: accepted by its ListenerSet",
            TestTimeouts.Token());

        // A parentRef to the Gateway reaches the Gateway's own listeners (GEP-1713's direct parent): it has none.
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<HttpRoute>("gateway-route", Infra)?.Status?.Parents is [{ } parent]
                && (parent.Conditions ?? []).Any(c => c is { Type: "Accepted", Status: "False", Reason: "NoMatchingParent" })),
            TimeSpan.FromSeconds(10),
            "HTTPRoute gateway-route: Accepted=False, NoMatchingParent",
            TestTimeouts.Token());

        // No pod is listed (see ConformanceCluster): the served route answers 503, another host 404.
        await cluster.ExpectStatusAsync(new ConformanceRequest("/", "set.example.com"), 503);
        await cluster.ExpectStatusAsync(new ConformanceRequest("/", "other.example.com"), 404);
    }
}
