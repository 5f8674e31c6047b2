using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// The suite's TCPRoute and UDPRoute cases (conformance/tests at 4564255ac, most of them provisional) as facts on the
/// translator's status and L4 listeners, their objects written anew, each for both kinds where the suite has both:
/// TCPRoute/UDPRouteInvalidBackendRefNonexistent, TCPRoute/UDPRouteInvalidCrossNamespaceBackendRef,
/// TCPRoute/UDPRouteReferenceGrant, TCPRouteInvalidNonTCPListener, UDPRouteNotAllowedByListeners, TCPRoute/UDPRouteMultipleRoutesAttachment,
/// TCPRouteParentRefAttachAll, UDPRouteParentRefAttachAllListeners and TCPRoute/UDPRouteParentRefPortAndSectionName.
/// </summary>
public sealed class L4RouteStatusTests
{
    private const string Ns = "gateway-conformance-infra";

    [Theory]
    [InlineData("TCP", "{name: nonexistent, port: 3000}", "BackendNotFound")]
    [InlineData("UDP", "{name: nonexistent, port: 8080}", "BackendNotFound")]
    [InlineData("TCP", "{name: echo, namespace: gateway-conformance-web-backend, port: 3000}", "RefNotPermitted")]
    [InlineData("UDP", "{name: echo, namespace: gateway-conformance-web-backend, port: 8080}", "RefNotPermitted")]
    public void A_backend_ref_that_does_not_resolve_is_accepted_with_resolved_refs_false(string protocol, string backendRef, string reason)
    {
        var status = Translate(
            Gateway("gw", $"- {{name: l4, protocol: {protocol}, port: 9321, allowedRoutes: {{kinds: [{{kind: {Kind(protocol)}}}]}}}}"),
            Route(protocol, "route", "{name: gw, sectionName: l4}", backendRef)).GatewayStatus;

        var parent = Assert.Single(Assert.Single(status.Routes).Parents);
        Assert.Contains(parent.Conditions, c => c is { Type: "Accepted", Status: true });
        Assert.Contains(parent.Conditions, c => c.Type == "ResolvedRefs" && !c.Status && c.Reason == reason);
        Assert.All(Assert.Single(status.Gateways).Conditions, c => Assert.True(c.Status, c.ToString()));
    }

    [Theory]
    [InlineData("TCP")]
    [InlineData("UDP")]
    public void A_backend_of_another_namespace_is_reached_while_a_reference_grant_permits_it(string protocol)
    {
        var gateway = Gateway("gw", $"- {{name: l4, protocol: {protocol}, port: 9320, allowedRoutes: {{kinds: [{{kind: {Kind(protocol)}}}]}}}}");
        var route = Route(protocol, "route", "{name: gw, sectionName: l4}", "{name: echo, namespace: gateway-conformance-web-backend, port: 3000}");
        var grant = $$"""
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: grant, namespace: gateway-conformance-web-backend}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: {{Kind(protocol)}}, namespace: {{Ns}}}]
              to: [{group: "", kind: Service, name: echo}]
            """;

        // The suite deletes the grant after its first checks: here the same objects are translated without it.
        var granted = Translate(gateway, route, grant);
        var withdrawn = Translate(gateway, route);

        var parent = Assert.Single(Assert.Single(granted.GatewayStatus.Routes).Parents);
        Assert.All(parent.Conditions, c => Assert.True(c.Status, c.ToString()));
        Assert.Equal($"{protocol.ToLowerInvariant()}/gateway-conformance-web-backend/echo:3000", Assert.Single(Assert.Single(granted.Snapshot.L4!.Listeners).Routes).BackendId);
        Assert.Contains(Assert.Single(Assert.Single(withdrawn.GatewayStatus.Routes).Parents).Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "RefNotPermitted" });
    }

    [Theory]
    [InlineData("TCP", "- {name: only-allow-http-routes, protocol: HTTP, port: 5300, allowedRoutes: {kinds: [{kind: HTTPRoute}]}}", "only-allow-http-routes")]
    [InlineData("UDP", "- {name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}, allowedRoutes: {namespaces: {from: Same}}}", "tls")]
    public void A_route_on_a_listener_of_another_protocol_is_not_allowed_and_not_attached(string protocol, string listener, string section)
    {
        var status = Translate(Gateway("gw", listener), Route(protocol, "route", $"{{name: gw, sectionName: {section}}}", "{name: echo, port: 3000}")).GatewayStatus;

        var parent = Assert.Single(Assert.Single(status.Routes).Parents);
        Assert.Contains(parent.Conditions, c => c is { Type: "Accepted", Status: false, Reason: "NotAllowedByListeners" });
        Assert.Equal(0, Assert.Single(Assert.Single(status.Gateways).Listeners).AttachedRoutes);
    }

    [Theory]
    [InlineData("TCP")]
    [InlineData("UDP")]
    public void Two_routes_on_one_listener_are_both_accepted_and_attached_and_the_older_takes_the_traffic(string protocol)
    {
        var result = Translate(
            Gateway("gw", $"- {{name: l4, protocol: {protocol}, port: 9310, allowedRoutes: {{kinds: [{{kind: {Kind(protocol)}}}]}}}}"),
            Route(protocol, "attach-newer", "{name: gw, sectionName: l4}", "{name: echo-2, port: 3000}", "2026-01-02T00:00:00Z"),
            Route(protocol, "attach-older", "{name: gw, sectionName: l4}", "{name: echo, port: 3000}", "2026-01-01T00:00:00Z"));

        Assert.All(result.GatewayStatus.Routes, r => Assert.Contains(Assert.Single(r.Parents).Conditions, c => c is { Type: "Accepted", Status: true, Reason: "Accepted" }));
        var listener = Assert.Single(Assert.Single(result.GatewayStatus.Gateways).Listeners);
        Assert.Equal((Kind(protocol), 2), (Assert.Single(listener.SupportedKinds), listener.AttachedRoutes));
        Assert.Contains(listener.Conditions, c => c is { Type: "Accepted", Status: true, Reason: "Accepted" });
        Assert.Equal($"{protocol.ToLowerInvariant()}/{Ns}/echo:3000", Assert.Single(Assert.Single(result.Snapshot.L4!.Listeners).Routes).BackendId);
    }

    [Theory]
    [InlineData("TCP")]
    [InlineData("UDP")]
    public void A_parent_ref_without_section_or_port_attaches_to_every_listener_of_its_kind(string protocol)
    {
        var kinds = $"allowedRoutes: {{kinds: [{{kind: {Kind(protocol)}}}]}}";
        var result = Translate(
            Gateway("gw", string.Join("\n  ", Enumerable.Range(0, 4).Select(i => $"- {{name: l{i}, protocol: {protocol}, port: {9310 + i}, {kinds}}}"))),
            Route(protocol, "attach-all", "{name: gw}", "{name: echo, port: 3000}"));

        var parent = Assert.Single(Assert.Single(result.GatewayStatus.Routes).Parents);
        Assert.Contains(parent.Conditions, c => c is { Type: "Accepted", Status: true, Reason: "Accepted" });
        Assert.All(Assert.Single(result.GatewayStatus.Gateways).Listeners, l => Assert.Equal(1, l.AttachedRoutes));
        Assert.Equal(
            Enumerable.Range(9310, 4).Select(p => (p, $"{protocol.ToLowerInvariant()}/{Ns}/echo:3000")),
            result.Snapshot.L4!.Listeners.OrderBy(l => l.Address.Port).Select(l => (l.Address.Port, Assert.Single(l.Routes).BackendId)));
    }

    [Theory]
    [InlineData("TCP")]
    [InlineData("UDP")]
    public void A_parent_ref_attaches_by_port_by_section_name_or_by_both(string protocol)
    {
        var kinds = $"allowedRoutes: {{kinds: [{{kind: {Kind(protocol)}}}]}}";
        var result = Translate(
            Gateway("gw", $"- {{name: one, protocol: {protocol}, port: 9300, {kinds}}}\n  - {{name: two, protocol: {protocol}, port: 9301, {kinds}}}\n  - {{name: three, protocol: {protocol}, port: 9302, {kinds}}}"),
            Route(protocol, "by-port", "{name: gw, port: 9300}", "{name: echo, port: 3000}"),
            Route(protocol, "by-section", "{name: gw, sectionName: two}", "{name: echo-2, port: 3000}"),
            Route(protocol, "by-section-and-port", "{name: gw, sectionName: three, port: 9302}", "{name: echo-3, port: 3000}"));

        Assert.All(result.GatewayStatus.Routes, r => Assert.Contains(Assert.Single(r.Parents).Conditions, c => c is { Type: "Accepted", Status: true, Reason: "Accepted" }));
        var p = protocol.ToLowerInvariant();
        Assert.Equal(
            [(9300, $"{p}/{Ns}/echo:3000"), (9301, $"{p}/{Ns}/echo-2:3000"), (9302, $"{p}/{Ns}/echo-3:3000")],
            result.Snapshot.L4!.Listeners.OrderBy(l => l.Address.Port).Select(l => (l.Address.Port, Assert.Single(l.Routes).BackendId)));
    }

    private static string Kind(string protocol) => protocol == "TCP" ? "TCPRoute" : "UDPRoute";

    private static string Gateway(string name, string listeners) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{name}}, namespace: {{Ns}}}
        spec:
          gatewayClassName: onehop
          listeners:
          {{listeners}}
        """;

    private static string Route(string protocol, string name, string parentRef, string backendRef, string? created = null) => $$"""
        apiVersion: gateway.networking.k8s.io/v1alpha2
        kind: {{Kind(protocol)}}
        metadata: {name: {{name}}, namespace: {{Ns}}{{(created is null ? string.Empty : $", creationTimestamp: \"{created}\"")}} }
        spec:
          parentRefs: [{{parentRef}}]
          rules: [{backendRefs: [{{backendRef}}]}]
        """;

    /// <summary>OneHop's class, the Gateway and routes, and Services echo, echo-2, echo-3 with a TCP and a UDP port 3000 and an endpoint each.</summary>
    private static TranslationResult Translate(params string[] objects) => Translator.Translate(TranslatorInput.Of(Manifests.State(Manifests.GatewayClass + string.Join("\n---\n", [
        .. new[] { "echo", "echo-2", "echo-3" }.Select(Service),
        Service("echo").Replace(Ns, "gateway-conformance-web-backend", StringComparison.Ordinal),
        .. objects,
    ]))));

    private static string Service(string name) => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: {{name}}, namespace: {{Ns}}}
        spec: {ports: [{name: tcp, port: 3000, protocol: TCP}, {name: udp, port: 3000, protocol: UDP}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: {{name}}-1, namespace: {{Ns}}, labels: {kubernetes.io/service-name: {{name}} } }
        addressType: IPv4
        ports: [{name: tcp, port: 3000, protocol: TCP}, {name: udp, port: 3000, protocol: UDP}]
        endpoints: [{addresses: ["10.1.0.1"]}]
        """;
}
