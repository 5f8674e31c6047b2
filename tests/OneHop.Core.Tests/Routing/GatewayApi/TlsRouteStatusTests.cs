using OneHop.Core.Routing;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// The suite's TLSRoute status cases (conformance/tests at 4564255ac) as facts on the translator's status, their
/// objects written anew: TLSRouteInvalidBackendRefNonexistent, TLSRouteInvalidBackendRefUnknownKind,
/// TLSRouteInvalidNoMatchingListenerHostname, TLSRouteInvalidNoMatchingListener and
/// TLSRouteListenerPassthroughSupportedKinds.
/// </summary>
public sealed class TlsRouteStatusTests
{
    private const string Ns = "gateway-conformance-infra";

    [Theory]
    [InlineData("{name: nonexistent, namespace: gateway-conformance-infra, port: 443}", "BackendNotFound")]
    [InlineData("{group: unknownkind.example.com, kind: NonExistent, name: tls-backend, port: 443}", "InvalidKind")]
    public void A_backend_ref_that_does_not_resolve_is_accepted_with_resolved_refs_false(string backendRef, string reason)
    {
        var status = Status($$"""
            {{Gateway("gw", "- {name: tls, protocol: TLS, port: 443, allowedRoutes: {namespaces: {from: Same}}, tls: {mode: Passthrough}}")}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: route, namespace: {{Ns}}}
            spec:
              parentRefs: [{name: gw, namespace: {{Ns}}}]
              hostnames: [example.com]
              rules: [{backendRefs: [{{backendRef}}]}]
            """);

        var parent = Assert.Single(Assert.Single(status.Routes).Parents);
        Assert.Contains(parent.Conditions, c => c is { Type: "Accepted", Status: true });
        Assert.Contains(parent.Conditions, c => c.Type == "ResolvedRefs" && !c.Status && c.Reason == reason);
        Assert.All(Assert.Single(status.Gateways).Conditions, c => Assert.True(c.Status, c.ToString()));
    }

    [Fact]
    public void Hostnames_no_listener_hostname_intersects_are_not_accepted()
    {
        var status = Status($$"""
            {{Gateway("gateway-tls-exact-hostname", "- {name: tls, port: 443, protocol: TLS, hostname: www.example.com, tls: {mode: Passthrough}}")}}
            ---
            {{Gateway("gateway-tls-wildcard-hostname", "- {name: tls, port: 443, protocol: TLS, hostname: \"*.example.com\", tls: {mode: Passthrough}}")}}
            ---
            {{Route("tlsroute-hostname-mismatch-1", "{name: gateway-tls-exact-hostname}", "[www.nomatch.com, \"*.nomatch.com\"]")}}
            ---
            {{Route("tlsroute-hostname-mismatch-2", "{name: gateway-tls-wildcard-hostname}", "[www.different.com, \"*.different.com\"]")}}
            """);

        Assert.All(status.Routes, r => Assert.Contains(Assert.Single(r.Parents).Conditions, c => c is { Type: "Accepted", Status: false, Reason: "NoMatchingListenerHostname" }));
    }

    [Fact]
    public void A_route_on_http_or_https_listeners_or_a_missing_section_attaches_nowhere()
    {
        var status = Status($$"""
            {{Gateway("gateway-tlsroute-tls-passthrough-only", "- {name: tls-passthrough, protocol: TLS, port: 443, tls: {mode: Passthrough}}")}}
            ---
            {{Gateway("gateway-tlsroute-http-only", "- {name: http, port: 80, protocol: HTTP}")}}
            ---
            {{Gateway("gateway-tlsroute-https-only", "- {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: missing}]}}")}}
            ---
            {{Route("tlsroute-not-allowed-protocol-http", "{name: gateway-tlsroute-http-only}", "[abc.example.com]")}}
            ---
            {{Route("tlsroute-not-allowed-protocol-https", "{name: gateway-tlsroute-https-only}", "[abc.example.com]")}}
            ---
            {{Route("tlsroute-no-matching-section-name", "{name: gateway-tlsroute-tls-passthrough-only, sectionName: nonexistent-listener}", "[abc.example.com]")}}
            """);

        string Reason(string route) => Assert.Single(Assert.Single(status.Routes, r => r.Ref.Name == route).Parents).Conditions.Single(c => c.Type == "Accepted").Reason;
        Assert.Equal("NotAllowedByListeners", Reason("tlsroute-not-allowed-protocol-http"));
        Assert.Equal("NotAllowedByListeners", Reason("tlsroute-not-allowed-protocol-https"));
        Assert.Equal("NoMatchingParent", Reason("tlsroute-no-matching-section-name"));
        Assert.All(status.Routes, r => Assert.DoesNotContain(r.Parents[0].Conditions, c => c is { Type: "Accepted", Status: true }));
        Assert.All(status.Gateways, g => Assert.All(g.Listeners, l => Assert.Equal(0, l.AttachedRoutes)));
    }

    [Fact]
    public void A_passthrough_listener_supports_tlsroute()
    {
        var status = Status(Gateway("gateway-tlsroute-passthrough-supported", "- {name: tls-passthrough, port: 8443, protocol: TLS, hostname: passthrough.example.com, allowedRoutes: {kinds: [{kind: TLSRoute}]}, tls: {mode: Passthrough}}"));

        var listener = Assert.Single(Assert.Single(status.Gateways).Listeners);
        Assert.Equal(("TLSRoute", 0), (Assert.Single(listener.SupportedKinds), listener.AttachedRoutes));
        Assert.Contains(listener.Conditions, c => c is { Type: "Accepted", Status: true, Reason: "Accepted" });
    }

    private static string Gateway(string name, string listeners) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{name}}, namespace: {{Ns}}}
        spec:
          gatewayClassName: onehop
          listeners:
          {{listeners}}
        """;

    private static string Route(string name, string parentRef, string hostnames) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: TLSRoute
        metadata: {name: {{name}}, namespace: {{Ns}}}
        spec:
          parentRefs: [{{parentRef}}]
          hostnames: {{hostnames}}
          rules: [{backendRefs: [{name: tls-backend, port: 443}]}]
        """;

    private static GatewayApiStatus Status(string yaml) => Translator.Translate(TranslatorInput.Of(Manifests.State($$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: onehop}
        spec: {controllerName: onehop.dev/gateway-controller}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: tls-backend, namespace: {{Ns}}}
        spec: {ports: [{port: 443}]}
        ---
        {{yaml}}
        """))).GatewayStatus;
}
