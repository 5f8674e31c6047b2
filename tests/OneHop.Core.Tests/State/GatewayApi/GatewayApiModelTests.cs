using OneHop.Core.Sources.Manifests;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Tests.State.Gateway;

/// <summary>OneHop's own Gateway API models read what the CRDs' schemas write, in YAML and JSON.</summary>
public sealed class GatewayApiModelTests
{
    [Fact]
    public void An_httproute_reads_every_field_from_yaml()
    {
        var result = ManifestParser.Parse("route.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              parentRefs: [{name: edge, sectionName: http, port: 80}]
              hostnames: ["shop.example.com"]
              rules:
              - matches:
                - path: {type: PathPrefix, value: /api}
                  headers: [{name: version, value: two}]
                  queryParams: [{type: RegularExpression, name: q, value: "^a"}]
                  method: GET
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x, value: "1"}], add: [{name: y, value: "2"}], remove: [z]}
                - type: URLRewrite
                  urlRewrite: {hostname: inner, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
                backendRefs: [{name: web-v2, port: 8080, weight: 3}]
                timeouts: {request: 10s, backendRequest: 2s}
            """);

        Assert.False(result.Failed, string.Join("; ", result.Diagnostics.Select(d => d.Message)));
        var route = Assert.IsType<HttpRoute>(Assert.Single(result.Objects).Object);
        Assert.Equal(("edge", "http", 80), (route.Spec.ParentRefs![0].Name, route.Spec.ParentRefs[0].SectionName, route.Spec.ParentRefs[0].Port));
        var rule = Assert.Single(route.Spec.Rules!);
        var match = Assert.Single(rule.Matches!);
        Assert.Equal(("PathPrefix", "/api", "GET"), (match.Path!.Type, match.Path.Value, match.Method));
        Assert.Equal(("version", "two"), (match.Headers![0].Name, match.Headers[0].Value));
        Assert.Equal("RegularExpression", match.QueryParams![0].Type);
        Assert.Equal("z", rule.Filters![0].RequestHeaderModifier!.Remove![0]);
        Assert.Equal("/v2", rule.Filters[1].UrlRewrite!.Path!.ReplacePrefixMatch);
        Assert.Equal(("web-v2", 8080, 3), (rule.BackendRefs![0].Name, rule.BackendRefs[0].Port, rule.BackendRefs[0].Weight));
        Assert.Equal("2s", rule.Timeouts!.BackendRequest);
    }

    [Fact]
    public void A_grpcroute_reads_every_field_from_yaml()
    {
        var result = ManifestParser.Parse("route.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: rpc, namespace: shop}
            spec:
              parentRefs: [{name: edge, sectionName: grpc}]
              hostnames: ["rpc.example.com"]
              rules:
              - name: cart
                matches:
                - method: {type: RegularExpression, service: "shop\\..*", method: Add}
                  headers: [{name: tenant, value: blue}]
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x, value: "1"}]}
                backendRefs: [{name: cart, port: 9000, weight: 2}]
            """);

        Assert.False(result.Failed, string.Join("; ", result.Diagnostics.Select(d => d.Message)));
        var route = Assert.IsType<GrpcRoute>(Assert.Single(result.Objects).Object);
        var rule = Assert.Single(route.Spec.Rules!);
        var match = Assert.Single(rule.Matches!);
        Assert.Equal(("cart", "RegularExpression", "shop\\..*", "Add"), (rule.Name, match.Method!.Type, match.Method.Service, match.Method.Method));
        Assert.Equal(("tenant", "blue"), (match.Headers![0].Name, match.Headers[0].Value));
        Assert.Equal("1", rule.Filters![0].RequestHeaderModifier!.Set![0].Value);
        Assert.Equal(("cart", 9000, 2), (rule.BackendRefs![0].Name, rule.BackendRefs[0].Port, rule.BackendRefs[0].Weight));
    }

    [Fact]
    public void Tcp_udp_and_tls_routes_read_their_rules_and_tlsroute_is_read_in_every_version()
    {
        var result = ManifestParser.Parse("l4.yaml", """
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TCPRoute
            metadata: {name: db, namespace: data}
            spec:
              parentRefs: [{name: edge, sectionName: postgres}]
              rules:
              - backendRefs: [{name: pg, port: 5432, weight: 3}, {name: pg-canary, port: 5432, weight: 1}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: UDPRoute
            metadata: {name: dns, namespace: data}
            spec:
              parentRefs: [{name: edge, port: 53}]
              rules:
              - name: resolvers
                backendRefs: [{name: coredns, port: 53}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha2
            kind: TLSRoute
            metadata: {name: a, namespace: data}
            spec:
              parentRefs: [{name: edge}]
              hostnames: [a.example.com]
              rules: [{backendRefs: [{name: a, port: 8443}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1alpha3
            kind: TLSRoute
            metadata: {name: b, namespace: data}
            spec:
              parentRefs: [{name: edge}]
              hostnames: ["*.b.example.com"]
              rules: [{backendRefs: [{name: b, port: 8443}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: c, namespace: data}
            spec:
              parentRefs: [{name: edge}]
              hostnames: [c.example.com]
              rules: [{backendRefs: [{name: c, port: 8443}]}]
            """);

        Assert.False(result.Failed, string.Join("; ", result.Diagnostics.Select(d => d.Message)));
        var objects = result.Objects.Select(o => o.Object).ToList();
        var tcp = Assert.IsType<TcpRoute>(objects[0]);
        Assert.Equal(("edge", "postgres"), (tcp.Spec.ParentRefs![0].Name, tcp.Spec.ParentRefs[0].SectionName));
        Assert.Equal([("pg", 5432, 3), ("pg-canary", 5432, 1)], tcp.Spec.Rules![0].BackendRefs!.Select(b => (b.Name, b.Port ?? 0, b.Weight ?? 0)));
        var udp = Assert.IsType<UdpRoute>(objects[1]);
        Assert.Equal(("resolvers", 53, "coredns"), (udp.Spec.Rules![0].Name, udp.Spec.ParentRefs![0].Port ?? 0, udp.Spec.Rules[0].BackendRefs![0].Name));
        Assert.Equal(["a.example.com", "*.b.example.com", "c.example.com"], objects.Skip(2).Select(o => Assert.IsType<TlsRoute>(o).Spec.Hostnames![0]));
    }

    [Fact]
    public void A_gateway_reads_its_listeners_from_json_and_v1beta1_is_accepted()
    {
        var result = ManifestParser.Parse("gw.json", """
            {"apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "Gateway", "metadata": {"name": "edge", "namespace": "infra"},
             "spec": {"gatewayClassName": "onehop", "listeners": [
               {"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "*.example.com",
                "tls": {"mode": "Terminate", "certificateRefs": [{"name": "wild", "namespace": "certs"}]},
                "allowedRoutes": {"namespaces": {"from": "Selector", "selector": {"matchLabels": {"team": "a"}}}, "kinds": [{"kind": "HTTPRoute"}]}}]}}
            """);

        Assert.False(result.Failed, string.Join("; ", result.Diagnostics.Select(d => d.Message)));
        var gateway = Assert.IsType<Core.State.GatewayApi.Gateway>(Assert.Single(result.Objects).Object);
        var listener = Assert.Single(gateway.Spec.Listeners!);
        Assert.Equal((443, "HTTPS", "*.example.com"), (listener.Port, listener.Protocol, listener.Hostname));
        Assert.Equal("certs", listener.Tls!.CertificateRefs![0].Namespace);
        Assert.Equal("a", listener.AllowedRoutes!.Namespaces!.Selector!.MatchLabels["team"]);
    }

    [Fact]
    public void A_gatewayclass_is_cluster_scoped_and_a_referencegrant_reads()
    {
        var result = ManifestParser.Parse("all.yaml", """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: onehop}
            spec: {controllerName: onehop.dev/gateway-controller}
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: let-shop, namespace: backends}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
              to: [{group: "", kind: Service}]
            """);

        Assert.False(result.Failed, string.Join("; ", result.Diagnostics.Select(d => d.Message)));
        var cls = Assert.IsType<GatewayClass>(result.Objects[0].Object);
        Assert.Equal(GatewayApiNames.ControllerName, cls.Spec.ControllerName);
        Assert.True(string.IsNullOrEmpty(cls.Metadata.NamespaceProperty));
        var grant = Assert.IsType<ReferenceGrant>(result.Objects[1].Object);
        Assert.Equal(("shop", "Service", string.Empty), (grant.Spec.From![0].Namespace, grant.Spec.To![0].Kind, grant.Spec.To[0].Group));
    }
}
