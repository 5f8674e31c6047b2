using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>A backendRef's own <c>filters</c>: header modifiers go with that backend's share; other filters leave it unresolved.</summary>
public sealed class HttpRouteBackendFiltersTests
{
    [Fact]
    public void Header_modifiers_of_a_backend_ref_travel_with_its_share()
    {
        var result = Translate("[{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: Backend, value: web}]}}, {type: ResponseHeaderModifier, responseHeaderModifier: {remove: [Server]}}]");

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var route = Assert.Single(result.Snapshot.Routes, r => r.Port == 80);
        Assert.Equal(string.Empty, route.BackendId);
        var share = Assert.Single(route.Splits);
        Assert.Equal([("Backend", "web")], share.Filters!.Request!.Set.Select(p => (p.Key, p.Value)));
        Assert.Equal(["Server"], share.Filters.Response!.Remove);
    }

    [Fact]
    public void Another_filter_on_a_backend_ref_leaves_that_backend_unresolved()
    {
        var result = Translate("[{type: URLRewrite, urlRewrite: {hostname: other.example.com}}]");

        var share = Assert.Single(Assert.Single(result.Snapshot.Routes, r => r.Port == 80).Splits);
        Assert.Null(share.BackendId);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnresolvedBackend && d.Message.Contains("spec.rules[0].backendRefs[0].filters: URLRewrite is not supported on a backendRef", StringComparison.Ordinal));
        var parent = Assert.Single(Assert.Single(result.GatewayStatus.Routes).Parents);
        Assert.Contains(parent.Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "UnsupportedValue" });
    }

    private static TranslationResult Translate(string filters)
    {
        var yaml = $"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {"{"}name: onehop{"}"}
            spec: {"{"}controllerName: onehop.dev/gateway-controller{"}"}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {"{"}name: edge, namespace: default{"}"}
            spec: {"{"}gatewayClassName: onehop, listeners: [{"{"}name: http, port: 80, protocol: HTTP{"}"}]{"}"}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {"{"}name: web, namespace: default{"}"}
            spec:
              parentRefs: [{"{"}name: edge{"}"}]
              rules: [{"{"}backendRefs: [{"{"}name: web, port: 80, filters: {filters}{"}"}]{"}"}]
            ---

            """ + Manifests.Service("web", "10.0.0.1");
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }
}
