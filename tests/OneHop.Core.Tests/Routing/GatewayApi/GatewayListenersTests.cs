using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Sources;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>Gateway listeners as the translator reports them.</summary>
public sealed class GatewayListenersTests
{
    [Fact]
    public void A_listener_without_a_name_is_refused_and_reported_not_thrown_on()
    {
        var parsed = ManifestParser.Parse("gateway.yaml", """
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
              listeners: [{name: null, port: 80, protocol: HTTP}, {name: http, port: 8080, protocol: HTTP}]
            """);
        var builder = new ClusterStateBuilder(new ObjectOrigin(ManifestParser.SourceName));
        foreach (var item in parsed.Objects)
        {
            builder.Add(item.Object, new ObjectOrigin(ManifestParser.SourceName, "gateway.yaml"));
        }

        var result = Translator.Translate(TranslatorInput.Of(builder.Build()));

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.InternalError);
        var gateway = Assert.Single(result.GatewayStatus.Gateways);
        var nameless = Assert.Single(gateway.Listeners, l => l.Name is null);
        Assert.Contains(nameless.Conditions, c => c is { Type: "Accepted", Status: false, Reason: "UnsupportedValue" });
        Assert.Contains(gateway.Listeners, l => l.Name == "http" && l.Conditions.Any(c => c is { Type: "Accepted", Status: true }));
    }
}
