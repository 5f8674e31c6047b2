using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>The spec's rules on a rule's filters, as the translator applies them to manifests no API server checked.</summary>
public sealed class HttpRouteFiltersTests
{
    [Theory]
    [InlineData("RequestHeaderModifier", "requestHeaderModifier: {set: [{name: a, value: '1'}]}", "requestHeaderModifier: {set: [{name: b, value: '2'}]}")]
    [InlineData("URLRewrite", "urlRewrite: {hostname: one.example.org}", "urlRewrite: {hostname: two.example.org}")]
    public void A_second_filter_of_one_type_leaves_the_rule_out(string type, string first, string second)
    {
        string Filter(string settings) => "{type: " + type + ", " + settings + "}";
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(Manifests.HttpGateway + Manifests.Service("web", "10.0.0.1") + $$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: twice, namespace: default}
            spec:
              parentRefs: [{name: edge}]
              rules:
              - matches: [{path: {value: /twice}}]
                filters: [{{{Filter(first)}}}, {{{Filter(second)}}}]
                backendRefs: [{name: web, port: 80}]
              - matches: [{path: {value: /once}}]
                filters: [{{{Filter(first)}}}]
                backendRefs: [{name: web, port: 80}]
            """)));

        var error = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidRoute);
        Assert.Contains($"spec.rules[0].filters[1]: a second {type} filter", error.Message, StringComparison.Ordinal);
        Assert.Equal(["/once"], result.Snapshot.Routes.Select(r => r.Path));
    }
}
