using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// TLS listeners in Terminate mode (TLSRouteModeTerminate) and beside Passthrough ones on one port (TLSRouteModeMixed), as
/// the translator makes them: status after the suite's cases, routes that terminate with their listener's certificate,
/// and bad input reported without disturbing the other listeners.
/// </summary>
public sealed class GatewayTlsTerminateTests
{
    private static readonly string Usable = GatewayCertificateRefsTests.SecretData("tls.example.com");

    [Fact]
    public void A_terminate_listener_is_accepted_with_tlsroute_as_its_supported_kind()
    {
        // tlsroute-listener-terminate-supported-kinds: Accepted=True, supportedKinds [TLSRoute], no routes.
        var result = Translate("""
            - name: tls-terminate
              port: 8443
              protocol: TLS
              hostname: terminate.example.com
              allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
              tls: {mode: Terminate, certificateRefs: [{name: tls-terminate-checks-certificate}]}
            """);

        var listener = Assert.Single(Assert.Single(result.GatewayStatus.Gateways).Listeners);
        Assert.Equal(("tls-terminate", "TLSRoute", 0), (listener.Name, Assert.Single(listener.SupportedKinds), listener.AttachedRoutes));
        Assert.Contains(listener.Conditions, c => c is { Type: "Accepted", Status: true, Reason: "Accepted" });
        Assert.Contains(listener.Conditions, c => c is { Type: "ResolvedRefs", Status: true });
        Assert.Contains(listener.Conditions, c => c is { Type: "Programmed", Status: true });
    }

    [Fact]
    public void Terminate_and_passthrough_listeners_share_a_port_told_apart_by_sni()
    {
        // tlsroute-mixed-termination-same-namespace, with its routes.
        var result = Translate(
            """
            - name: tls-terminate
              port: 8883
              protocol: TLS
              hostname: tls.example.com
              tls: {mode: Terminate, certificateRefs: [{name: tls-terminate-checks-certificate}]}
            - name: tls-passthrough
              port: 8883
              protocol: TLS
              hostname: abc.example.com
              tls: {mode: Passthrough}
            """,
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: passthrough, namespace: default}
            spec:
              parentRefs: [{name: edge}]
              hostnames: [abc.example.com]
              rules: [{backendRefs: [{name: tcp-backend, port: 8443}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: terminate, namespace: default}
            spec:
              parentRefs: [{name: edge}]
              hostnames: [tls.example.com]
              rules: [{backendRefs: [{name: tcp-backend, port: 3000}]}]
            """);

        var listener = Assert.Single(result.Snapshot.L4!.Listeners);
        Assert.Equal(("gateway/tls/0.0.0.0:8883", ListenerProtocol.TlsPassthrough), (listener.Name, listener.Protocol));
        var routes = listener.Routes.ToDictionary(r => r.Host);
        Assert.Equal((false, null, "tcp/default/tcp-backend:8443"), (routes["abc.example.com"].TerminateTls, routes["abc.example.com"].Certificate, routes["abc.example.com"].BackendId));
        Assert.Equal((true, "Secret default/tls-terminate-checks-certificate", "tcp/default/tcp-backend:3000"), (routes["tls.example.com"].TerminateTls, routes["tls.example.com"].Certificate, routes["tls.example.com"].BackendId));

        // The certificate travels to the data plane, but binds no name for the HTTPS ports' SNI: it is the TLS listener's alone.
        Assert.Empty(Assert.Single(result.Snapshot.Certificates).Hosts);
        Assert.Empty(result.Snapshot.GatewayPorts);

        var listeners = Assert.Single(result.GatewayStatus.Gateways).Listeners;
        Assert.All(listeners, l => Assert.Equal(("TLSRoute", 1), (Assert.Single(l.SupportedKinds), l.AttachedRoutes)));
        Assert.All(listeners, l => Assert.Contains(l.Conditions, c => c is { Type: "Accepted", Status: true, Reason: "Accepted" }));
        Assert.All(listeners, l => Assert.Contains(l.Conditions, c => c is { Type: "Conflicted", Status: false }));
        Assert.All(result.GatewayStatus.Routes, r => Assert.Contains(Assert.Single(r.Parents).Conditions, c => c is { Type: "Accepted", Status: true }));
    }

    [Fact]
    public void A_certificate_ref_that_does_not_resolve_leaves_the_listener_unprogrammed_and_its_routes_on_the_default_certificate()
    {
        var result = Translate(
            """
            - {name: tls-terminate, port: 8443, protocol: TLS, tls: {certificateRefs: [{name: missing}]}}
            - {name: tcp, port: 5432, protocol: TCP}
            """,
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: terminate, namespace: default}
            spec:
              parentRefs: [{name: edge, sectionName: tls-terminate}]
              rules: [{backendRefs: [{name: tcp-backend, port: 3000}]}]
            """);

        var listener = Assert.Single(Assert.Single(result.GatewayStatus.Gateways).Listeners, l => l.Name == "tls-terminate");
        Assert.Contains(listener.Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "InvalidCertificateRef" });
        Assert.Contains(listener.Conditions, c => c is { Type: "Programmed", Status: false });
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidGatewayListener && d.Field == "spec.listeners[0].tls.certificateRefs"
            && d.Message == "listener tls-terminate: Secret default/missing does not exist (OneHop reads Secrets of type kubernetes.io/tls); its hosts get the default certificate");
        var route = Assert.Single(result.Snapshot.L4!.Listeners.Single(l => l.Name == "gateway/tls/0.0.0.0:8443").Routes);
        Assert.Equal((true, null), (route.TerminateTls, route.Certificate));
        Assert.Contains(result.Snapshot.L4.Listeners, l => l.Name == "gateway/tcp/0.0.0.0:5432");
    }

    [Fact]
    public void An_unknown_mode_is_refused_and_the_other_listeners_serve()
    {
        var result = Translate("""
            - {name: odd, port: 8443, protocol: TLS, tls: {mode: Reencrypt, certificateRefs: [{name: tls-terminate-checks-certificate}]}}
            - {name: tcp, port: 5432, protocol: TCP}
            """);

        var listeners = Assert.Single(result.GatewayStatus.Gateways).Listeners.ToDictionary(l => l.Name!);
        Assert.Contains(listeners["odd"].Conditions, c => c is { Type: "Accepted", Status: false, Reason: "UnsupportedValue", Message: "tls.mode Reencrypt is not served on TLS listeners (Terminate and Passthrough are)" });
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidGatewayListener && d.Field == "spec.listeners[0]");
        Assert.Contains(listeners["tcp"].Conditions, c => c is { Type: "Programmed", Status: true });
        Assert.Equal(["gateway/tcp/0.0.0.0:5432"], result.Snapshot.L4!.Listeners.Select(l => l.Name));
    }

    [Fact]
    public void A_terminate_listener_on_an_https_listeners_port_is_a_protocol_conflict()
    {
        var result = Translate("""
            - {name: https, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: tls-terminate-checks-certificate}]}}
            - {name: tls-terminate, port: 8443, protocol: TLS, hostname: tls.example.com, tls: {certificateRefs: [{name: tls-terminate-checks-certificate}]}}
            """);

        var listener = Assert.Single(Assert.Single(result.GatewayStatus.Gateways).Listeners, l => l.Name == "tls-terminate");
        Assert.Contains(listener.Conditions, c => c is { Type: "Accepted", Status: false, Reason: "ProtocolConflict" });
        Assert.Null(result.Snapshot.L4);
    }

    private static TranslationResult Translate(string listeners, string routes = "")
    {
        var yaml = $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: onehop}
            spec: {controllerName: onehop.dev/gateway-controller}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: default}
            spec:
              gatewayClassName: onehop
              listeners:
            {{Indent(listeners, "  ")}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: tls-terminate-checks-certificate, namespace: default}
            type: kubernetes.io/tls
            data: {{Usable}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: tcp-backend, namespace: default}
            spec: {ports: [{name: plain, port: 3000}, {name: tls, port: 8443}]}
            {{(routes.Length == 0 ? string.Empty : "---\n" + routes)}}
            """;
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }

    private static string Indent(string text, string by) => string.Join('\n', text.Split('\n').Select(l => l.Length == 0 ? l : by + l));
}
