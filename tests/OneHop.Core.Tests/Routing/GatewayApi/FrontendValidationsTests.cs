using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// A Gateway's <c>spec.tls.frontend</c>: the CA bundle each HTTPS port validates client certificates against (default,
/// <c>perPort</c>), its references' problems in the listeners' status and diagnostics, and the insecure mode's condition.
/// </summary>
public sealed class FrontendValidationsTests
{
    private static readonly string CaPem = SelfSignedCa();

    [Fact]
    public void Each_https_port_validates_with_its_per_port_bundle_or_the_default()
    {
        var result = Translate("""
            default: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: default-ca}]}}
            perPort:
            - port: 8443
              tls: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: port-ca}], mode: AllowInsecureFallback}}
            """);

        Assert.Equal(new FrontendValidation(CaPem, false, "ConfigMap default/default-ca"), Port(result, 443).Frontend);
        Assert.Equal(new FrontendValidation(CaPem, true, "ConfigMap default/port-ca"), Port(result, 8443).Frontend);
        Assert.Null(Port(result, 80).Frontend);
        Assert.All(Gateway(result).Listeners, l => Assert.Contains(l.Conditions, c => c is { Type: "ResolvedRefs", Status: true }));
        Assert.Contains(Gateway(result).Conditions, c => c is { Type: "InsecureFrontendValidationMode", Status: true, Reason: "ConfigurationChanged" });
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Without_insecure_fallback_the_gateway_has_no_insecure_condition()
    {
        var result = Translate("""default: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: default-ca}], mode: AllowValidOnly}}""");

        Assert.DoesNotContain(Gateway(result).Conditions, c => c.Type == "InsecureFrontendValidationMode");
        Assert.False(Port(result, 443).Frontend!.InsecureFallback);
    }

    [Theory]
    [InlineData("{group: \"\", kind: ConfigMap, name: missing}", "InvalidCACertificateRef", "ConfigMap default/missing does not exist")]
    [InlineData("{group: \"\", kind: ConfigMap, name: no-ca}", "InvalidCACertificateRef", "ConfigMap default/no-ca has no ca.crt")]
    [InlineData("{group: \"\", kind: ConfigMap, name: bad-ca}", "InvalidCACertificateRef", "ca.crt of ConfigMap default/bad-ca holds no PEM certificate")]
    [InlineData("{group: \"\", kind: Service, name: web}", "InvalidCACertificateKind", "Service is not a CA certificate kind OneHop supports (core ConfigMap)")]
    [InlineData("{group: example.com, kind: ConfigMap, name: default-ca}", "InvalidCACertificateKind", "ConfigMap.example.com is not a CA certificate kind")]
    [InlineData("{group: \"\", kind: ConfigMap, name: other-ca, namespace: other}", "RefNotPermitted", "ConfigMap other/other-ca is in another namespace and no ReferenceGrant there allows it")]
    public void A_port_whose_only_reference_does_not_resolve_is_not_served_and_says_why(string reference, string reason, string message)
    {
        var result = Translate("""
            default: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: default-ca}]}}
            perPort: [{port: 8443, tls: {validation: {caCertificateRefs: [
            """ + reference + "]}}}]");

        var listener = Assert.Single(Gateway(result).Listeners, l => l.Name == "https-8443");
        Assert.Contains(listener.Conditions, c => c.Type == "ResolvedRefs" && !c.Status && c.Reason == reason && c.Message.StartsWith(message, StringComparison.Ordinal));
        Assert.Contains(listener.Conditions, c => c is { Type: "Accepted", Status: false, Reason: "NoValidCACertificate" });
        Assert.Contains(listener.Conditions, c => c is { Type: "Programmed", Status: false });
        Assert.DoesNotContain(result.Snapshot.GatewayPorts, p => p.Port == 8443);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidGatewayListener);
        Assert.Equal("spec.tls.frontend.perPort[0].tls.validation.caCertificateRefs[0]", diagnostic.Field);
        Assert.Equal("Gateway default/edge", diagnostic.Object!.ToString());

        // The other ports, and the other Gateway, are served as before.
        Assert.NotNull(Port(result, 443).Frontend);
        Assert.Contains(Assert.Single(result.GatewayStatus.Gateways, g => g.Ref.Name == "plain").Listeners, l => l.Conditions.Any(c => c is { Type: "Accepted", Status: true }));
        Assert.Contains(result.Snapshot.Routes, r => r.Port == 9080);
    }

    [Fact]
    public void A_reference_grant_lets_a_gateway_use_another_namespaces_bundle()
    {
        var grant = """
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: cas, namespace: other}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: default}]
              to: [{group: "", kind: ConfigMap}]
            """;
        var result = Translate("""default: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: other-ca, namespace: other}]}}""", grant);

        Assert.Equal("ConfigMap other/other-ca", Port(result, 443).Frontend!.Source);
    }

    [Fact]
    public void A_bad_reference_beside_a_good_one_is_reported_and_the_good_one_validates()
    {
        var result = Translate("""default: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: missing}, {group: "", kind: ConfigMap, name: default-ca}]}}""");

        Assert.Equal("ConfigMap default/default-ca", Port(result, 443).Frontend!.Source);
        var listener = Assert.Single(Gateway(result).Listeners, l => l.Name == "https");
        Assert.Single(listener.Conditions, c => c.Type == "ResolvedRefs" && !c.Status && c.Reason == "InvalidCACertificateRef");
        Assert.Contains(listener.Conditions, c => c is { Type: "Accepted", Status: true });

        // Reported once, though two ports use the default.
        Assert.Single(result.Diagnostics, d => d.Field == "spec.tls.frontend.default.validation.caCertificateRefs[0]");
    }

    [Fact]
    public void An_unknown_mode_is_reported_and_validates_strictly()
    {
        var result = Translate("""default: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: default-ca}], mode: Sometimes}}""");

        Assert.False(Port(result, 443).Frontend!.InsecureFallback);
        Assert.Contains(result.Diagnostics, d => d.Field == "spec.tls.frontend.default.validation.mode");
    }

    private static GatewayPort Port(TranslationResult result, int port) => Assert.Single(result.Snapshot.GatewayPorts, p => p.Port == port);

    private static GatewayStatusReport Gateway(TranslationResult result) => Assert.Single(result.GatewayStatus.Gateways, g => g.Ref.Name == "edge");

    private static TranslationResult Translate(string frontend, string more = "")
    {
        var indented = string.Join('\n', frontend.Split('\n').Select(l => "      " + l));
        var ca = string.Join('\n', CaPem.TrimEnd().Split('\n').Select(l => "    " + l));
        var maps = ConfigMap("default", "default-ca", ca) + "\n" + ConfigMap("default", "port-ca", ca) + "\n" + ConfigMap("other", "other-ca", ca) + "\n" + ConfigMap("default", "bad-ca", "    not a certificate");
        var yaml = $$"""
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
              tls:
                frontend:
            {{indented}}
              listeners:
              - {name: http, port: 80, protocol: HTTP}
              - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: edge-tls}]} }
              - {name: https-8443, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: edge-tls}]} }
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: plain, namespace: default}
            spec:
              gatewayClassName: onehop
              listeners: [{name: http, port: 9080, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: default}
            spec:
              parentRefs: [{name: edge}, {name: plain}]
              rules: [{backendRefs: [{name: web, port: 80}]}]
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: edge-tls, namespace: default}
            type: kubernetes.io/tls
            data: {{ServerSecretData()}}
            {{maps}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: no-ca, namespace: default}
            data: {other: x}
            {{more}}
            ---

            """ + Manifests.Service("web", "10.0.0.1");
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }

    private static string ConfigMap(string ns, string name, string indentedPem) => $$$"""
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{{name}}}, namespace: {{{ns}}} }
        data:
          ca.crt: |
        {{{indentedPem}}}
        """;

    /// <summary>The listeners' certificate Secret's data: a self-signed edge.example.com.</summary>
    private static string ServerSecretData()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=edge.example.com", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
        return $"{{tls.crt: {Base64(certificate.ExportCertificatePem())}, tls.key: {Base64(key.ExportPkcs8PrivateKeyPem())}}}";
    }

    private static string SelfSignedCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Frontend Test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return certificate.ExportCertificatePem() + "\n";
    }
}
