using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// The HTTPRoute CORS filter → <see cref="RouteCors"/> (the engine the ingress-nginx annotations share): its defaults,
/// the origins it allows, and bad values refusing the rule, named by field, while the route's other rules serve.
/// </summary>
public sealed class GatewayCorsTests
{
    [Fact]
    public void The_filter_becomes_the_routes_cors_with_max_age_5_by_default()
    {
        var result = Translate("{allowOrigins: ['https://*.example.com', 'http://a.test:8080'], allowMethods: [GET, PUT], exposeHeaders: [x-a]}");
        var cors = Assert.Single(result.Snapshot.Routes, r => r.Path == "/cors").Filters!.Cors!;
        Assert.Equal(new RouteCors(["https://*.example.com", "http://a.test:8080"], "GET, PUT", string.Empty, "x-a", false, 5), cors);
    }

    [Theory]
    [InlineData("https://a.b.example.com", true)]
    [InlineData("https://b.example.com:443", true)]
    [InlineData("https://example.com", false)]
    [InlineData("http://b.example.com", false)]
    [InlineData("https://b.example.com:8443", false)]
    [InlineData("http://a.test:8080", true)]
    [InlineData("http://a.test", false)]
    [InlineData("null", false)]
    public void Origins_match_by_scheme_host_and_port_the_scheme_giving_the_port_left_out(string origin, bool allowed)
    {
        var cors = new RouteCors(["https://*.example.com", "http://a.test:8080"], "GET", string.Empty, null, false, 5);
        Assert.Equal(allowed ? origin : null, cors.AllowOrigin(origin));
    }

    [Fact]
    public void A_host_of_star_allows_every_host_of_the_scheme()
    {
        var cors = new RouteCors(["https://*"], "GET", string.Empty, null, false, 5);
        Assert.Equal("https://any.where", cors.AllowOrigin("https://any.where"));
        Assert.Null(cors.AllowOrigin("http://any.where"));
    }

    [Theory]
    [InlineData("{allowOrigins: ['https://a.test/path']}", "allowOrigins: 'https://a.test/path' is not an origin")]
    [InlineData("{allowOrigins: ['*', 'https://a.test']}", "allowOrigins: * cannot be listed beside other values")]
    [InlineData("{allowMethods: ['GET POST']}", "allowMethods: 'GET POST' is not an HTTP method")]
    [InlineData("{allowHeaders: ['x:a']}", "allowHeaders: 'x:a' is not a header name")]
    [InlineData("{maxAge: 0}", "maxAge: 0 is less than 1 second")]
    public void A_bad_value_leaves_the_rule_out_with_its_field_named(string cors, string problem)
    {
        var result = Translate(cors);
        var error = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidRoute);
        Assert.Contains($"spec.rules[0].filters[0].cors.{problem}", error.Message, StringComparison.Ordinal);
        Assert.Equal(["/plain"], result.Snapshot.Routes.Select(r => r.Path));
    }

    private static TranslationResult Translate(string cors)
    {
        var yaml = Manifests.HttpGateway + Manifests.Service("web", "10.0.0.1") + $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: cors, namespace: default}
            spec:
              parentRefs: [{name: edge}]
              rules:
              - matches: [{path: {value: /cors}}]
                filters: [{type: CORS, cors: {{{cors}}}}]
                backendRefs: [{name: web, port: 80}]
              - matches: [{path: {value: /plain}}]
                backendRefs: [{name: web, port: 80}]
            """;
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }
}
