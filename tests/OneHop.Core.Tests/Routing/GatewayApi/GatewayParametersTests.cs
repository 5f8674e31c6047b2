using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// A Gateway's <c>spec.infrastructure.parametersRef</c>: OneHop supports no kind of parameters, so such a Gateway is
/// refused (InvalidParameters), serves nothing, and says so on its field; the Gateway beside it is untouched.
/// </summary>
public sealed class GatewayParametersTests
{
    [Fact]
    public void A_gateway_with_parameters_is_refused_and_serves_no_route()
    {
        var result = Translate("infrastructure: {parametersRef: {group: example.com, kind: EdgeParameters, name: edge}}");

        var refused = Assert.Single(result.GatewayStatus.Gateways, g => g.Ref.Name == "with-parameters");
        Assert.Contains(refused.Conditions, c => c is { Type: "Accepted", Status: false, Reason: "InvalidParameters" });
        Assert.Contains(refused.Conditions, c => c is { Type: "Programmed", Status: false });
        Assert.Contains(Assert.Single(refused.Listeners).Conditions, c => c is { Type: "Programmed", Status: false });
        Assert.Contains(result.Diagnostics, d => d.Field == "spec.infrastructure.parametersRef" && d.Message.Contains("EdgeParameters.example.com edge", StringComparison.Ordinal));
        Assert.Empty(result.Snapshot.Routes.Where(r => r.Port == 81));

        var other = Assert.Single(result.GatewayStatus.Gateways, g => g.Ref.Name == "plain");
        Assert.All(other.Conditions, c => Assert.True(c.Status, c.ToString()));
        Assert.Single(result.Snapshot.Routes, r => r.Port == 80);
    }

    [Fact]
    public void Infrastructure_without_parameters_is_no_reason_to_refuse()
    {
        var result = Translate("infrastructure: {labels: {team: edge}}");

        Assert.All(result.GatewayStatus.Gateways.SelectMany(g => g.Conditions), c => Assert.True(c.Status, c.ToString()));
        Assert.Equal(2, result.Snapshot.Routes.Count(r => r.Port is 80 or 81));
    }

    private static TranslationResult Translate(string infrastructure) =>
        Translator.Translate(TranslatorInput.Of(Manifests.State(Manifests.GatewayClass + $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: plain, namespace: default}
            spec:
              gatewayClassName: onehop
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: with-parameters, namespace: default}
            spec:
              gatewayClassName: onehop
              {{infrastructure}}
              listeners: [{name: http, port: 81, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: default}
            spec:
              parentRefs: [{name: plain}, {name: with-parameters}]
              rules: [{backendRefs: [{name: web, port: 80}]}]
            ---

            """ + Manifests.Service("web", "10.0.0.1"))));
}
