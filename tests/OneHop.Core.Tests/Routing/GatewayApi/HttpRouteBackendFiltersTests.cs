using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// A backendRef's own <c>filters</c>: header modifiers, URLRewrite and RequestRedirect go with that backend's share; other
/// types, and bad values, leave that backend unresolved (reported, its share answered 500) and disturb no other route.
/// </summary>
public sealed class HttpRouteBackendFiltersTests
{
    [Fact]
    public void Header_modifiers_of_a_backend_ref_travel_with_its_share()
    {
        var result = Translate("[{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: Backend, value: web}]}}, {type: ResponseHeaderModifier, responseHeaderModifier: {remove: [Server]}}]");

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var route = WebRoute(result);
        Assert.Equal(string.Empty, route.BackendId);
        var share = Assert.Single(route.Splits);
        Assert.Equal([("Backend", "web")], share.Filters!.Request!.Set.Select(p => (p.Key, p.Value)));
        Assert.Equal(["Server"], share.Filters.Response!.Remove);
    }

    [Fact]
    public void A_url_rewrite_of_a_backend_ref_travels_with_its_share_alone()
    {
        var result = Translate("[{type: URLRewrite, urlRewrite: {hostname: other.example.com, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}}]");

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var route = WebRoute(result);
        Assert.Null(route.Filters);
        var share = Assert.Single(route.Splits);
        Assert.NotNull(share.BackendId);
        Assert.Equal(new RouteFilters(Rewrite: new RouteRewrite("other.example.com", new PathModifier(false, "/v2"))), share.Filters);
        Assert.Contains(WebParent(result).Conditions, c => c is { Type: "ResolvedRefs", Status: true });
    }

    [Fact]
    public void A_request_redirect_of_a_backend_ref_travels_with_its_share_alone()
    {
        var result = Translate("[{type: RequestRedirect, requestRedirect: {hostname: moved.example.com, path: {type: ReplaceFullPath, replaceFullPath: /moved}, statusCode: 301}}]");

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var route = WebRoute(result);
        Assert.Null(route.Filters);
        var share = Assert.Single(route.Splits);
        Assert.NotNull(share.BackendId);
        Assert.Equal(new RouteFilters(Redirect: new RouteRedirect(null, "moved.example.com", null, new PathModifier(true, "/moved"), 301)), share.Filters);
    }

    [Fact]
    public void Each_backend_of_a_split_keeps_its_own_filters()
    {
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(Manifests.HttpGateway + RouteYaml("web", "/", """
            - name: web
              port: 80
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
            - name: other
              port: 80
              filters: [{type: RequestRedirect, requestRedirect: {statusCode: 307}}]
            - {name: web, port: 80}
            """) + Manifests.Service("web", "10.0.0.1") + Manifests.Service("other", "10.0.0.2"))));

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var splits = WebRoute(result).Splits;
        Assert.Equal(3, splits.Length);
        Assert.Equal(new PathModifier(true, "/one"), splits[0].Filters!.Rewrite!.Path);
        Assert.Null(splits[0].Filters!.Redirect);
        Assert.Equal(307, splits[1].Filters!.Redirect!.StatusCode);
        Assert.Null(splits[1].Filters!.Rewrite);
        Assert.Null(splits[2].Filters);
    }

    [Theory]
    [InlineData("[{type: RequestMirror, requestMirror: {backendRef: {name: other, port: 80}}}]", "filters[0]: RequestMirror is not supported on a backendRef of HTTPRoutes")]
    [InlineData("[{type: CORS, cors: {allowOrigins: ['*']}}]", "filters[0]: CORS is not supported on a backendRef of HTTPRoutes")]
    [InlineData("[{type: ExtensionRef, extensionRef: {group: example.com, kind: Filter, name: f}}]", "filters[0]: ExtensionRef is not supported on a backendRef of HTTPRoutes")]
    [InlineData("[{type: RequestRedirect, requestRedirect: {statusCode: 404}}]", "filters[0].requestRedirect.statusCode: 404 is not 301, 302, 303, 307 or 308")]
    [InlineData("[{type: RequestRedirect, requestRedirect: {scheme: ftp}}]", "filters[0].requestRedirect.scheme: 'ftp' is not http or https")]
    [InlineData("[{type: RequestRedirect, requestRedirect: {port: 70000}}]", "filters[0].requestRedirect.port: 70000 is not a port")]
    [InlineData("[{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: relative}}}]", "filters[0].urlRewrite.path: type ReplaceFullPath needs a path starting with /")]
    [InlineData("[{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch}}}]", "filters[0].urlRewrite.path: type ReplacePrefixMatch needs a path starting with /")]
    [InlineData("[{type: URLRewrite, urlRewrite: {hostname: a.example.com}}, {type: RequestRedirect, requestRedirect: {statusCode: 301}}]", "filters: RequestRedirect and URLRewrite cannot be used together")]
    [InlineData("[{type: URLRewrite, urlRewrite: {hostname: a.example.com}}, {type: URLRewrite, urlRewrite: {hostname: b.example.com}}]", "filters[1]: a second URLRewrite filter")]
    public void A_bad_backend_ref_filter_leaves_that_backend_unresolved_and_the_other_route_served(string filters, string problem)
    {
        var result = Translate(filters);

        var share = Assert.Single(WebRoute(result).Splits);
        Assert.Null(share.BackendId);
        Assert.Null(share.Filters);
        var expected = "spec.rules[0].backendRefs[0]." + problem;
        Assert.Contains(expected, share.Problem, StringComparison.Ordinal);
        Assert.Contains(result.Diagnostics, d => d is { Code: DiagnosticCodes.UnresolvedBackend, Severity: DiagnosticSeverity.Error } && d.Message.Contains(expected, StringComparison.Ordinal));
        var parent = WebParent(result);
        Assert.Contains(parent.Conditions, c => c is { Type: "Accepted", Status: true });
        Assert.Contains(parent.Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "UnsupportedValue" } && c.Message.Contains(expected, StringComparison.Ordinal));

        // The other route, on the same Gateway, is served as if the bad one were not there.
        var other = Assert.Single(result.Snapshot.Routes, r => r.Source.Contains("HTTPRoute default/other", StringComparison.Ordinal));
        Assert.NotEqual(string.Empty, other.BackendId);
        var otherStatus = Assert.Single(Assert.Single(result.GatewayStatus.Routes, r => r.Ref.Name == "other").Parents);
        Assert.All(otherStatus.Conditions, c => Assert.True(c.Status, c.ToString()));
        Assert.DoesNotContain(result.Diagnostics, d => d.Object is { Kind: "HTTPRoute", Name: "other" });
    }

    [Fact]
    public void A_grpc_route_backend_ref_takes_no_rewrite_or_redirect()
    {
        var yaml = Manifests.HttpGateway + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: grpc, namespace: default}
            spec:
              parentRefs: [{name: edge}]
              rules:
              - backendRefs:
                - name: web
                  port: 80
                  filters: [{type: URLRewrite, urlRewrite: {hostname: other.example.com}}]
            ---

            """ + Manifests.Service("web", "10.0.0.1");
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));

        var share = Assert.Single(Assert.Single(result.Snapshot.Routes, r => r.Port == 80).Splits);
        Assert.Null(share.BackendId);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnresolvedBackend && d.Message.Contains("spec.rules[0].backendRefs[0].filters[0]: URLRewrite is not supported on a backendRef of GRPCRoutes", StringComparison.Ordinal));
    }

    [Fact]
    public void A_backend_ref_prefix_rewrite_after_the_rules_path_rewrite_refuses_the_rule()
    {
        var yaml = Manifests.HttpGateway + """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: default}
            spec:
              parentRefs: [{name: edge}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /prefix}}]
                filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /rule}}}]
                backendRefs:
                - name: web
                  port: 80
                  filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /backend}}}]
              - matches: [{path: {type: PathPrefix, value: /full}}]
                filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /rule}}}]
                backendRefs:
                - name: web
                  port: 80
                  filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /backend}}}]
            ---

            """ + Manifests.Service("web", "10.0.0.1");
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(DiagnosticCodes.InvalidRoute, error.Code);
        Assert.Contains("spec.rules[0].backendRefs[0].filters: a URLRewrite with ReplacePrefixMatch after the rule's own path rewrite", error.Message, StringComparison.Ordinal);
        var route = Assert.Single(result.Snapshot.Routes, r => r.Port == 80);
        Assert.Equal("/full", route.Path);
        Assert.Equal(new PathModifier(false, "/rule"), route.Filters!.Rewrite!.Path);
        Assert.Equal(new PathModifier(true, "/backend"), Assert.Single(route.Splits).Filters!.Rewrite!.Path);
    }

    /// <summary>The route <c>default/web</c> with one backendRef to <c>web</c> carrying <paramref name="filters"/>, beside the plain route <c>default/other</c>.</summary>
    private static TranslationResult Translate(string filters)
    {
        var yaml = Manifests.HttpGateway
            + RouteYaml("web", "/web", $"- {{name: web, port: 80, filters: {filters}}}")
            + RouteYaml("other", "/other", "- {name: other, port: 80}")
            + Manifests.Service("web", "10.0.0.1")
            + Manifests.Service("other", "10.0.0.2");
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }

    private static string RouteYaml(string name, string prefix, string backendRefs) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{name}}, namespace: default}
        spec:
          parentRefs: [{name: edge}]
          rules:
          - matches:
            - path:
                type: PathPrefix
                value: {{prefix}}
            backendRefs:
        {{Indent(backendRefs, "    ")}}
        ---

        """;

    private static string Indent(string lines, string by) => string.Join("\n", lines.Split('\n').Select(l => by + l));

    private static Route WebRoute(TranslationResult result) =>
        Assert.Single(result.Snapshot.Routes, r => r.Source.Contains("HTTPRoute default/web", StringComparison.Ordinal));

    private static OneHop.Core.Routing.GatewayApi.RouteParentStatusReport WebParent(TranslationResult result) =>
        Assert.Single(Assert.Single(result.GatewayStatus.Routes, r => r.Ref.Name == "web").Parents);
}
