using OneHop.Core.Routing;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// A Gateway's <c>spec.tls.backend.clientCertificateRef</c>: a usable Secret (in another namespace by a ReferenceGrant)
/// gives the Gateway <c>ResolvedRefs=True</c> and its routes' TLS backends a copy that presents the certificate, beside
/// the Service's own backend, which another Gateway's routes keep; a reference that does not resolve says why
/// (<c>InvalidClientCertificateRef</c>, <c>RefNotPermitted</c>), leaves the Gateway accepted and programmed, and presents
/// nothing. A plain backend is not copied.
/// </summary>
public sealed class GatewayBackendClientCertificateTests
{
    private static readonly string Usable = GatewayCertificateRefsTests.SecretData("gateway-client");

    [Theory]
    [InlineData("{name: client-cert}", "")]
    [InlineData("{group: \"\", kind: Secret, name: client-cert, namespace: other}", "{group: \"\", kind: Secret, name: client-cert}")]
    public void A_usable_secret_resolves_and_the_routes_tls_backend_presents_it(string reference, string grantTo)
    {
        var result = Translate(reference, grantTo);

        Assert.Contains(Gateway(result, "with-cert").Conditions, c => c is { Type: "ResolvedRefs", Status: true, Reason: "ResolvedRefs" });
        Assert.DoesNotContain(Gateway(result, "without-cert").Conditions, c => c.Type == "ResolvedRefs");
        var withCert = Backend(result, "with");
        var plain = Backend(result, "without");
        Assert.Equal(("default/secure:443/client-cert:default/with-cert", true, "ca"), (withCert.Id, withCert.Tls!.ClientCertificate, withCert.Tls.Trust));
        Assert.Equal(("default/secure:443", false), (plain.Id, plain.Tls!.ClientCertificate));
        Assert.Equal(plain.Endpoints, withCert.Endpoints);
        Assert.Equal(plain.Tls with { ClientCertificatePem = withCert.Tls.ClientCertificatePem, ClientKeyPem = withCert.Tls.ClientKeyPem }, withCert.Tls);
        Assert.Equal("default/web:80", Backend(result, "plain-with").Id);
    }

    [Theory]
    [InlineData("{name: missing}", "", "InvalidClientCertificateRef", "Secret default/missing does not exist")]
    [InlineData("{group: \"\", kind: ConfigMap, name: client-cert}", "", "InvalidClientCertificateRef", "clientCertificateRef ConfigMap. is not a core Secret")]
    [InlineData("{group: example.com, kind: Secret, name: client-cert}", "", "InvalidClientCertificateRef", "clientCertificateRef Secret.example.com is not a core Secret")]
    [InlineData("{name: malformed}", "", "InvalidClientCertificateRef", "Secret default/malformed is not a certificate and its key")]
    [InlineData("{name: client-cert, namespace: other}", "", "RefNotPermitted", "Secret other/client-cert is in another namespace")]
    [InlineData("{name: client-cert, namespace: other}", "{group: \"\", kind: Secret, name: another}", "RefNotPermitted", "Secret other/client-cert is in another namespace")]
    public void A_reference_that_does_not_resolve_says_why_and_presents_nothing(string reference, string grantTo, string reason, string message)
    {
        var result = Translate(reference, grantTo);

        var gateway = Gateway(result, "with-cert");
        var resolved = Assert.Single(gateway.Conditions, c => c.Type == "ResolvedRefs");
        Assert.Equal((false, reason), (resolved.Status, resolved.Reason));
        Assert.StartsWith(message, resolved.Message, StringComparison.Ordinal);
        Assert.Contains(gateway.Conditions, c => c is { Type: "Accepted", Status: true });
        Assert.Contains(gateway.Conditions, c => c is { Type: "Programmed", Status: true });
        Assert.Contains(result.Diagnostics, d => d.Field == "spec.tls.backend.clientCertificateRef" && d.Message.StartsWith(message, StringComparison.Ordinal));
        Assert.Equal("default/secure:443", Backend(result, "with").Id);
    }

    private static GatewayStatusReport Gateway(TranslationResult result, string name) => Assert.Single(result.GatewayStatus.Gateways, g => g.Ref.Name == name);

    /// <summary>The backend a request for <paramref name="host"/>.example.com is routed to.</summary>
    private static Backend Backend(TranslationResult result, string host)
    {
        var route = Assert.Single(result.Snapshot.Routes, r => r.Host == $"{host}.example.com");
        return Assert.Single(result.Snapshot.Backends, b => b.Id == route.BackendId);
    }

    private static TranslationResult Translate(string reference, string grantTo)
    {
        var grant = grantTo.Length == 0 ? string.Empty : $$"""
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: certificates, namespace: other}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: default}]
              to: [{{grantTo}}]
            """;
        var yaml = Manifests.GatewayClass + $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: with-cert, namespace: default}
            spec:
              gatewayClassName: onehop
              listeners: [{name: http, port: 80, protocol: HTTP}]
              tls:
                backend:
                  clientCertificateRef: {{reference}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: without-cert, namespace: default}
            spec:
              gatewayClassName: onehop
              listeners: [{name: http, port: 8080, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: with, namespace: default}
            spec:
              parentRefs: [{name: with-cert}]
              hostnames: [with.example.com]
              rules: [{backendRefs: [{name: secure, port: 443}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: plain-with, namespace: default}
            spec:
              parentRefs: [{name: with-cert}]
              hostnames: [plain-with.example.com]
              rules: [{backendRefs: [{name: web, port: 80}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: without, namespace: default}
            spec:
              parentRefs: [{name: without-cert}]
              hostnames: [without.example.com]
              rules: [{backendRefs: [{name: secure, port: 443}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: secure, namespace: default}
            spec: {ports: [{name: https, port: 443}]}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: secure-1, namespace: default, labels: {kubernetes.io/service-name: secure} }
            addressType: IPv4
            ports: [{name: https, port: 8443}]
            endpoints: [{addresses: [10.0.0.1], conditions: {ready: true} }]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec: {ports: [{name: http, port: 80}]}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: pods-ca, namespace: default}
            data:
              ca.crt: |
            {{CaPem()}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: BackendTLSPolicy
            metadata: {name: secure-tls, namespace: default}
            spec:
              targetRefs: [{group: "", kind: Service, name: secure}]
              validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: pods-ca}], hostname: secure.example.com}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: client-cert, namespace: default}
            type: kubernetes.io/tls
            data: {{Usable}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: client-cert, namespace: other}
            type: kubernetes.io/tls
            data: {{Usable}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: malformed, namespace: default}
            type: kubernetes.io/tls
            data: {tls.crt: SGVsbG8gd29ybGQK, tls.key: SGVsbG8gd29ybGQK}
            {{grant}}
            """;
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }

    /// <summary>A CA certificate's PEM, indented for the ConfigMap's block.</summary>
    private static string CaPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Pods CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var ca = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return string.Join("\n", ca.ExportCertificatePem().Split('\n').Select(l => "    " + l));
    }
}
