using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Routing;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// An HTTPS listener's <c>tls.certificateRefs</c> in its status: a usable Secret resolves (in another namespace by a
/// ReferenceGrant), a missing, foreign-kind, unreadable or ungranted one is <c>ResolvedRefs=False</c> and not programmed;
/// a listener without hostname makes its certificate its port's default. Every entry of several is checked, and the
/// first usable one is served.
/// </summary>
public sealed class GatewayCertificateRefsTests
{
    private static readonly string Usable = SecretData();

    [Theory]
    [InlineData("{name: edge-tls}", "")]
    [InlineData("{name: edge-tls, namespace: other}", "{group: \"\", kind: Secret}")]
    [InlineData("{name: edge-tls, namespace: other}", "{group: \"\", kind: Secret, name: edge-tls}")]
    public void A_usable_secret_resolves_and_its_certificate_is_served_for_the_listeners_hostname(string reference, string grantTo)
    {
        var result = Translate(reference, grantTo);

        var listener = Listener(result);
        Assert.Contains(listener.Conditions, c => c is { Type: "ResolvedRefs", Status: true });
        Assert.Contains(listener.Conditions, c => c is { Type: "Programmed", Status: true });
        Assert.Contains(result.Snapshot.Certificates, c => c.Hosts.Contains("secure.example.com"));
    }

    [Theory]
    [InlineData("{name: missing-tls}", "", "InvalidCertificateRef", "Secret default/missing-tls does not exist")]
    [InlineData("{group: wrong.group.company.io, kind: Secret, name: edge-tls}", "", "InvalidCertificateRef", "certificateRef Secret.wrong.group.company.io is not a core Secret")]
    [InlineData("{group: \"\", kind: WrongKind, name: edge-tls}", "", "InvalidCertificateRef", "certificateRef WrongKind. is not a core Secret")]
    [InlineData("{name: malformed-tls}", "", "InvalidCertificateRef", "Secret default/malformed-tls is not usable: ")]
    [InlineData("{name: edge-tls, namespace: other}", "", "RefNotPermitted", "Secret other/edge-tls is in another namespace")]
    [InlineData("{name: edge-tls, namespace: other}", "{group: \"\", kind: Secret, name: another-tls}", "RefNotPermitted", "Secret other/edge-tls is in another namespace")]
    [InlineData("{name: edge-tls, namespace: other}", "{group: \"\", kind: Service, name: edge-tls}", "RefNotPermitted", "Secret other/edge-tls is in another namespace")]
    public void A_certificate_ref_that_does_not_resolve_says_why_and_leaves_the_listener_unprogrammed(string reference, string grantTo, string reason, string message)
    {
        var result = Translate(reference, grantTo);

        var listener = Listener(result);
        var resolved = Assert.Single(listener.Conditions, c => c.Type == "ResolvedRefs");
        Assert.Equal((false, reason), (resolved.Status, resolved.Reason));
        Assert.StartsWith(message, resolved.Message, StringComparison.Ordinal);
        Assert.Contains(listener.Conditions, c => c is { Type: "Accepted", Status: true });
        Assert.Contains(listener.Conditions, c => c is { Type: "Programmed", Status: false });
        Assert.DoesNotContain(result.Snapshot.Certificates, c => c.Hosts.Contains("secure.example.com"));
    }

    [Fact]
    public void Of_several_usable_secrets_the_first_is_served()
    {
        var result = Translate("{name: edge-tls}, {name: edge-tls, namespace: other}", "{group: \"\", kind: Secret}");

        var listener = Listener(result);
        Assert.Contains(listener.Conditions, c => c is { Type: "ResolvedRefs", Status: true });
        Assert.Contains(listener.Conditions, c => c is { Type: "Programmed", Status: true });
        Assert.Equal("Secret default/edge-tls", Assert.Single(result.Snapshot.Certificates, c => c.Hosts.Contains("secure.example.com")).Id);
    }

    [Theory]
    [InlineData("{name: edge-tls}, {name: missing-tls}", "", "InvalidCertificateRef", "certificateRefs[1]: Secret default/missing-tls does not exist", "tls.certificateRefs[1]")]
    [InlineData("{name: edge-tls}, {group: \"\", kind: ConfigMap, name: edge-tls}", "", "InvalidCertificateRef", "certificateRefs[1]: certificateRef ConfigMap. is not a core Secret", "tls.certificateRefs[1]")]
    [InlineData("{name: edge-tls}, {name: edge-tls, namespace: other}", "", "RefNotPermitted", "certificateRefs[1]: Secret other/edge-tls is in another namespace", "tls.certificateRefs[1]")]
    [InlineData("{name: edge-tls}, {name: malformed-tls}", "", "InvalidCertificateRef", "Secret default/malformed-tls is not usable: ", "Secret default/malformed-tls")]
    [InlineData("{name: edge-tls}, null", "", "InvalidCertificateRef", "certificateRefs[1]: a certificateRef is empty (null)", "tls.certificateRefs[1]")] // found by TranslatorFuzzTests
    public void A_later_certificate_ref_that_does_not_resolve_is_reported_and_the_first_still_serves(string references, string grantTo, string reason, string message, string reported)
    {
        var result = Translate(references, grantTo);

        var resolved = Assert.Single(Listener(result).Conditions, c => c.Type == "ResolvedRefs");
        Assert.Equal((false, reason), (resolved.Status, resolved.Reason));
        Assert.StartsWith(message, resolved.Message, StringComparison.Ordinal);
        Assert.Contains(result.Diagnostics, d => d.Severity == Diagnostics.DiagnosticSeverity.Error && (d.Field?.Contains(reported, StringComparison.Ordinal) == true || d.Message.Contains(reported, StringComparison.Ordinal)));
        Assert.Equal("Secret default/edge-tls", Assert.Single(result.Snapshot.Certificates, c => c.Hosts.Contains("secure.example.com")).Id);
    }

    [Fact]
    public void A_first_secret_that_is_not_a_certificate_gives_way_to_the_next_usable_one()
    {
        var result = Translate("{name: malformed-tls}, {name: edge-tls}", string.Empty, hostname: null);

        var resolved = Assert.Single(Listener(result).Conditions, c => c.Type == "ResolvedRefs");
        Assert.Equal((false, "InvalidCertificateRef"), (resolved.Status, resolved.Reason));
        Assert.StartsWith("Secret default/malformed-tls is not usable: ", resolved.Message, StringComparison.Ordinal);
        Assert.Equal("Secret default/edge-tls", Assert.Single(result.Snapshot.GatewayPorts).DefaultCertificate);
    }

    [Fact]
    public void A_listener_without_hostname_makes_its_certificate_its_ports_default_though_no_host_names_it()
    {
        var result = Translate("{name: edge-tls}", string.Empty, hostname: null);

        Assert.Equal("Secret default/edge-tls", Assert.Single(result.Snapshot.GatewayPorts).DefaultCertificate);
        Assert.Empty(Assert.Single(result.Snapshot.Certificates, c => c.Id == "Secret default/edge-tls").Hosts);
        Assert.Null(Assert.Single(Translate("{name: edge-tls}", string.Empty).Snapshot.GatewayPorts).DefaultCertificate);
    }

    private static ListenerStatusReport Listener(TranslationResult result) =>
        Assert.Single(Assert.Single(result.GatewayStatus.Gateways).Listeners);

    private static TranslationResult Translate(string reference, string grantTo, string? hostname = "secure.example.com")
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
              listeners:
              - {name: https, port: 443, protocol: HTTPS, {{(hostname is null ? string.Empty : $"hostname: {hostname}, ")}}tls: {certificateRefs: [{{reference}}]} }
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: edge-tls, namespace: default}
            type: kubernetes.io/tls
            data: {{Usable}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: edge-tls, namespace: other}
            type: kubernetes.io/tls
            data: {{Usable}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: malformed-tls, namespace: default}
            type: kubernetes.io/tls
            data: {tls.crt: SGVsbG8gd29ybGQK, tls.key: SGVsbG8gd29ybGQK}
            {{grant}}
            """;
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }

    /// <summary>A Secret's data (flow YAML): a self-signed certificate for <paramref name="host"/> and its key.</summary>
    internal static string SecretData(string host = "secure.example.com")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
        return $"{{tls.crt: {Base64(certificate.ExportCertificatePem())}, tls.key: {Base64(key.ExportPkcs8PrivateKeyPem())}}}";
    }
}
