using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// <c>options</c> of a BackendTLSPolicy and of a listener's <c>tls</c>: Gateway API defines no key (un-prefixed ones are
/// reserved for it) and OneHop none, so each key is reported ignored, with its field, while the policy still verifies
/// the pods as written (accepted) and the listener still serves.
/// </summary>
public sealed class TlsOptionsTests
{
    [Fact]
    public void Each_option_is_reported_ignored_and_the_policy_and_listener_still_apply()
    {
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(Manifests.GatewayClass + $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: default}
            spec:
              gatewayClassName: onehop
              listeners:
              - name: https
                port: 443
                protocol: HTTPS
                tls: {certificateRefs: [{name: site}], options: {example.com/cipher-suites: ECDHE} }
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: secure, namespace: default}
            spec:
              parentRefs: [{name: edge}]
              rules: [{backendRefs: [{name: secure, port: 443}] }]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: secure, namespace: default}
            spec: {ports: [{name: https, port: 443}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: BackendTLSPolicy
            metadata: {name: secure-tls, namespace: default}
            spec:
              targetRefs: [{group: "", kind: Service, name: secure}]
              validation: {wellKnownCACertificates: System, hostname: secure.example.com}
              options: {minVersion: "1.3", example.com/min-version: "1.3"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: site, namespace: default}
            type: kubernetes.io/tls
            data: {{GatewayCertificateRefsTests.SecretData("site.example.com")}}
            """)));

        var ignored = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.UnsupportedFeature).ToList();
        Assert.All(ignored, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal(
            [
                ("spec.listeners[0].tls.options[\"example.com/cipher-suites\"]", "listener https: option 'example.com/cipher-suites' is not one OneHop knows"),
                ("spec.options[\"example.com/min-version\"]", "option 'example.com/min-version' is not one OneHop knows"),
                ("spec.options[\"minVersion\"]", "option 'minVersion' is not defined by Gateway API"),
            ],
            ignored.Select(d => (d.Field!, d.Message[..d.Message.IndexOf(" (", StringComparison.Ordinal)])).Order());
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);

        var policy = Assert.Single(result.GatewayStatus.Policies);
        Assert.All(policy.Conditions, c => Assert.True(c.Status, c.ToString()));
        var listener = Assert.Single(Assert.Single(result.GatewayStatus.Gateways).Listeners);
        Assert.Contains(listener.Conditions, c => c is { Type: "Programmed", Status: true });
        var backend = Assert.Single(result.Snapshot.Backends, b => b.Id == "default/secure:443");
        Assert.Equal(("system", "secure.example.com", null), (backend.Tls!.Trust, backend.Tls.ServerName, backend.Tls.Problem));
    }
}
