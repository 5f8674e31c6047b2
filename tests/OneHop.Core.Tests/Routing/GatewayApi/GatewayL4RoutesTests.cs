using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Routing.L4;
using OneHop.Core.Sources.Config;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>Gateways' TCP, UDP and TLS listeners and the TCPRoutes, UDPRoutes and TLSRoutes attached to them, as the translator makes them L4 listeners and status.</summary>
public sealed class GatewayL4RoutesTests
{
    private const string Gateway = """
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
          - {name: db, port: 5432, protocol: TCP}
          - {name: dns, port: 5432, protocol: UDP}
          - {name: tls, port: 8443, protocol: TLS, hostname: "*.example.com", tls: {mode: Passthrough}}
          - {name: terminate, port: 9443, protocol: TLS}
          - {name: web, port: 80, protocol: HTTP}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: pg, namespace: default}
        spec: {ports: [{port: 5432}]}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: pg-1, namespace: default, labels: {kubernetes.io/service-name: pg}}
        addressType: IPv4
        ports: [{name: "", port: 5432}]
        endpoints: [{addresses: ["10.1.0.1"]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: pg-canary, namespace: default}
        spec: {ports: [{port: 5432}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: coredns, namespace: default}
        spec: {ports: [{port: 53, protocol: UDP}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: a, namespace: default}
        spec: {ports: [{port: 443}]}
        """;

    [Fact]
    public void Tcp_udp_and_tls_passthrough_listeners_become_l4_listeners_with_weighted_routes_and_status()
    {
        var result = Translate("""
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TCPRoute
            metadata: {name: db, namespace: default}
            spec:
              parentRefs: [{name: edge, sectionName: db}]
              rules: [{backendRefs: [{name: pg, port: 5432, weight: 3}, {name: pg-canary, port: 5432, weight: 1}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: UDPRoute
            metadata: {name: dns, namespace: default}
            spec:
              parentRefs: [{name: edge, port: 5432, sectionName: dns}]
              rules: [{backendRefs: [{name: coredns, port: 53}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha3
            kind: TLSRoute
            metadata: {name: a, namespace: default}
            spec:
              parentRefs: [{name: edge, sectionName: tls}]
              hostnames: [a.example.com, a.example.org]
              rules: [{backendRefs: [{name: a, port: 443}]}]
            """);

        var l4 = result.Snapshot.L4!;
        Assert.Equal(["gateway/tcp/0.0.0.0:5432", "gateway/tls/0.0.0.0:8443", "gateway/tls/0.0.0.0:9443", "gateway/udp/0.0.0.0:5432"], l4.Listeners.Select(l => l.Name));
        var tcp = l4.Listeners[0];
        Assert.Equal((ListenerProtocol.Tcp, true), (tcp.Protocol, tcp.Live));
        var db = Assert.Single(tcp.Routes);
        Assert.Equal([new L4Split("tcp/default/pg:5432", 3), new L4Split("tcp/default/pg-canary:5432", 1)], db.Splits);
        Assert.Equal("TCPRoute default/db spec.rules[0]", db.Source);
        var tls = l4.Listeners[1];
        Assert.Equal(ListenerProtocol.TlsPassthrough, tls.Protocol);
        var a = Assert.Single(tls.Routes);
        Assert.Equal(("a.example.com", "tcp/default/a:443"), (a.Host, a.BackendId));
        Assert.False(a.TerminateTls);
        Assert.Equal("udp/default/coredns:53", Assert.Single(l4.Listeners[3].Routes).BackendId);
        Assert.Contains(l4.Backends, b => b.Id == "udp/default/coredns:53" && b.Protocol == BackendProtocol.Udp);
        Assert.DoesNotContain(result.Snapshot.Backends, b => b.Id.StartsWith("tcp/", StringComparison.Ordinal) || b.Id.StartsWith("udp/", StringComparison.Ordinal));
        Assert.Equal([80], result.Snapshot.GatewayPorts.Select(p => p.Port));

        var listeners = Assert.Single(result.GatewayStatus.Gateways).Listeners.ToDictionary(l => l.Name!);
        Assert.Equal(("TCPRoute", 1), (Assert.Single(listeners["db"].SupportedKinds), listeners["db"].AttachedRoutes));
        Assert.Equal(("UDPRoute", 1), (Assert.Single(listeners["dns"].SupportedKinds), listeners["dns"].AttachedRoutes));
        Assert.Equal(("TLSRoute", 1), (Assert.Single(listeners["tls"].SupportedKinds), listeners["tls"].AttachedRoutes));
        Assert.Contains(listeners["db"].Conditions, c => c is { Type: "Programmed", Status: true });
        // Terminate is the spec's default mode: accepted, but without certificateRefs it is not programmed (and says why).
        Assert.Contains(listeners["terminate"].Conditions, c => c is { Type: "Accepted", Status: true });
        Assert.Contains(listeners["terminate"].Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "InvalidCertificateRef", Message: "a TLS listener in Terminate mode needs tls.certificateRefs" });
        Assert.Contains(listeners["terminate"].Conditions, c => c is { Type: "Programmed", Status: false });
        Assert.All(result.GatewayStatus.Routes, r => Assert.Contains(Assert.Single(r.Parents).Conditions, c => c is { Type: "Accepted", Status: true }));
        Assert.All(result.GatewayStatus.Routes, r => Assert.Contains(r.Parents[0].Conditions, c => c is { Type: "ResolvedRefs", Status: true }));
    }

    [Fact]
    public void Routes_that_do_not_fit_their_listener_are_refused_with_the_specs_reasons()
    {
        var result = Translate("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web-on-db, namespace: default}
            spec:
              parentRefs: [{name: edge, sectionName: db}]
              rules: [{backendRefs: [{name: pg, port: 5432}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TCPRoute
            metadata: {name: other-namespace, namespace: team}
            spec:
              parentRefs: [{name: edge, namespace: default}]
              rules: [{backendRefs: [{name: pg, namespace: default, port: 5432}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TLSRoute
            metadata: {name: elsewhere, namespace: default}
            spec:
              parentRefs: [{name: edge, sectionName: tls}]
              hostnames: [a.example.org]
              rules: [{backendRefs: [{name: a, port: 443}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: UDPRoute
            metadata: {name: tcp-port, namespace: default}
            spec:
              parentRefs: [{name: edge, sectionName: dns}]
              rules: [{backendRefs: [{name: pg, port: 5432}, {name: missing, port: 53}]}]
            """);

        string Reason(string route, string type) => result.GatewayStatus.Routes.Single(r => r.Ref.Name == route).Parents[0].Conditions.Single(c => c.Type == type).Reason;
        Assert.Equal("NotAllowedByListeners", Reason("web-on-db", "Accepted"));
        Assert.Equal("NotAllowedByListeners", Reason("other-namespace", "Accepted"));
        Assert.Equal("NoMatchingListenerHostname", Reason("elsewhere", "Accepted"));
        Assert.Equal(("Accepted", "BackendNotFound"), (Reason("tcp-port", "Accepted"), Reason("tcp-port", "ResolvedRefs")));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnresolvedBackend && d.Message == "spec.rules[0].backendRefs[0]: service default/pg has no UDP port 5432 (BackendNotFound); its share of connections is closed");

        // Both backends unresolved: the route stays, and each share of connections goes to a backend without pods.
        var udp = result.Snapshot.L4!.Listeners.Single(l => l.Protocol == ListenerProtocol.Udp);
        Assert.Equal([new L4Split("udp/unresolved", 1), new L4Split("udp/unresolved", 1)], Assert.Single(udp.Routes).Splits);
        Assert.Empty(result.Snapshot.L4.Backends.Single(b => b.Id == "udp/unresolved").Endpoints);
        Assert.Empty(result.Snapshot.L4.Listeners.Single(l => l.Protocol == ListenerProtocol.Tcp).Routes);
    }

    [Fact]
    public void Each_gateway_address_gets_its_listener_and_one_taken_by_a_config_listener_is_left_out()
    {
        var config = ConfigLoader.Parse("onehop.yaml", """
            listeners:
              - { name: postgres, address: 127.0.0.2:5432, protocol: tcp, service: default/pg:5432 }
            """).Config!;
        config = config with { Gateway = config.Gateway with { Addresses = [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2")] } };

        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(Gateway), config));

        Assert.Equal(["gateway/tcp/127.0.0.1:5432", "gateway/tls/127.0.0.1:8443", "gateway/tls/127.0.0.1:9443", "gateway/tls/127.0.0.2:8443", "gateway/tls/127.0.0.2:9443", "gateway/udp/127.0.0.1:5432", "gateway/udp/127.0.0.2:5432", "postgres"], result.Snapshot.L4!.Listeners.Select(l => l.Name));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.PortConflict && d.Message == "listener db: TCP 127.0.0.2:5432 is already taken by listener 'postgres' (127.0.0.2:5432); it is not bound there");
    }

    [Fact]
    public void Of_two_tcproutes_on_one_listener_the_older_takes_the_connections()
    {
        var result = Translate("""
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TCPRoute
            metadata: {name: newer, namespace: default, creationTimestamp: "2026-01-02T00:00:00Z"}
            spec:
              parentRefs: [{name: edge, sectionName: db}]
              rules: [{backendRefs: [{name: pg-canary, port: 5432}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TCPRoute
            metadata: {name: older, namespace: default, creationTimestamp: "2026-01-01T00:00:00Z"}
            spec:
              parentRefs: [{name: edge, sectionName: db}]
              rules: [{backendRefs: [{name: pg, port: 5432}]}, {backendRefs: [{name: pg-canary, port: 5432}]}]
            """);

        var route = Assert.Single(result.Snapshot.L4!.Listeners.Single(l => l.Protocol == ListenerProtocol.Tcp).Routes);
        Assert.Equal(("tcp/default/pg:5432", "TCPRoute default/older spec.rules[0]"), (route.BackendId, route.Source));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.RouteConflict && d.Object!.Name == "newer");
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidRoute && d.Object!.Name == "older" && d.Field == "spec.rules[1]");
    }

    [Fact]
    public void A_gateway_with_addresses_of_its_own_has_its_tls_routes_there_alone_and_on_a_wildcard_bind_scoped_to_them()
    {
        // Two Gateways' Passthrough listeners on one port: "addressed" asks for 127.0.0.2, "open" asks for none.
        const string yaml = Manifests.GatewayClass + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: addressed, namespace: default}
            spec:
              gatewayClassName: onehop
              addresses: [{type: IPAddress, value: 127.0.0.2}]
              listeners: [{name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: open, namespace: default}
            spec:
              gatewayClassName: onehop
              listeners: [{name: tls, port: 443, protocol: TLS, hostname: "*.com", tls: {mode: Passthrough}}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: to-addressed, namespace: default}
            spec:
              parentRefs: [{name: addressed}]
              hostnames: ["*.example.com"]
              rules: [{backendRefs: [{name: a, port: 443}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: to-open, namespace: default}
            spec:
              parentRefs: [{name: open}]
              rules: [{backendRefs: [{name: a, port: 443}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: a, namespace: default}
            spec: {ports: [{port: 443}]}
            """;
        string[] Hosts(TranslationResult result, string listener) =>
            [.. result.Snapshot.L4!.Listeners.Single(l => l.Name == listener).Routes.Select(r => $"{r.Host}{(r.SuffixWildcard ? " (any labels)" : string.Empty)}").Order(StringComparer.Ordinal)];

        var bound = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), OneHopConfig.Default with
        {
            Gateway = new GatewaySettings { Addresses = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")] },
        }));
        Assert.Equal(["*.com (any labels)", "*.example.com (any labels)"], Hosts(bound, "gateway/tls/127.0.0.2:443"));
        Assert.Equal(["*.com (any labels)"], Hosts(bound, "gateway/tls/127.0.0.3:443"));

        // One socket for every address: the addressed Gateway's route takes connections to 127.0.0.2 alone.
        var wildcard = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
        Assert.Equal(["*.com (any labels)", "*.example.com (any labels)"], Hosts(wildcard, "gateway/tls/0.0.0.0:443"));
        Assert.Equal(
            [("*.com", null, "gateway/tls/0.0.0.0:443/*.com"), ("*.example.com", "127.0.0.2", "gateway/tls/0.0.0.0:443/*.example.com@127.0.0.2")],
            wildcard.Snapshot.L4!.Listeners.Single(l => l.Name == "gateway/tls/0.0.0.0:443").Routes.Select(r => (r.Host, r.Address, r.Id)));
        Assert.DoesNotContain(wildcard.Diagnostics, d => d.Code == DiagnosticCodes.RouteConflict);
    }

    private static TranslationResult Translate(string routes) => Translator.Translate(TranslatorInput.Of(Manifests.State(Gateway + "\n---\n" + routes)));
}
