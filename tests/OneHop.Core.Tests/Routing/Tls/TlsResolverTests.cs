using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Tls;

/// <summary>An Ingress's TLS Secret read from <c>data</c> or, as manifests may write it, <c>stringData</c>.</summary>
public sealed class TlsResolverTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_tls_secret_is_read_from_data_or_string_data(bool stringData)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=shop.example.com", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var (crt, pem) = (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        var secret = stringData
            ? $"stringData:\n  tls.crt: |\n{Indent(crt)}\n  tls.key: |\n{Indent(pem)}\n"
            : $"data:\n  tls.crt: {Base64(crt)}\n  tls.key: {Base64(pem)}\n";
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + $"""
            apiVersion: v1
            kind: Secret
            metadata: {"{"}name: shop-tls, namespace: default{"}"}
            type: kubernetes.io/tls
            {secret}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {"{"}name: shop, namespace: default{"}"}
            spec:
              tls: [{"{"}hosts: [shop.example.com], secretName: shop-tls{"}"}]
              rules:
              - host: shop.example.com
                http:
                  paths: [{"{"}path: /, pathType: Prefix, backend: {"{"}service: {"{"}name: web, port: {"{"}number: 80{"}"}{"}"}{"}"}{"}"}]
            """;

        var result = Translator.Translate(new TranslatorInput(Manifests.State(yaml), OneHopConfig.Default, TranslationMemory.Empty));

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var served = Assert.Single(result.Snapshot.Certificates);
        Assert.Equal(["shop.example.com"], served.Hosts);
        Assert.Equal(certificate.Thumbprint, served.Thumbprint, ignoreCase: true);
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l));

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
}
