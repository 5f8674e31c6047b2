using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Routing;
using OneHop.Core.Tls;

namespace OneHop.Core.Tests.Tls;

/// <summary>A BackendTls policy's verdict on a presented certificate: its CA only, its name or subjectAltNames, and why not.</summary>
public sealed class BackendCertificateValidatorTests
{
    [Fact]
    public void A_certificate_of_the_policys_CA_for_its_name_is_accepted()
    {
        using var ca = Authority("Pod CA");
        using var pod = Issue(ca, "web.default.svc");
        var refused = new List<string>();
        var validator = new BackendCertificateValidator(new BackendTls { CaPem = ca.ExportCertificatePem(), ServerName = "web.default.svc" }, refused.Add);

        Assert.True(validator.Validate(this, pod, null, SslPolicyErrors.None));
        Assert.Empty(refused);
    }

    [Fact]
    public void A_certificate_of_another_CA_is_refused_once_per_reason_even_if_the_system_trusted_it()
    {
        using var ca = Authority("Pod CA");
        using var other = Authority("Other CA");
        using var pod = Issue(other, "web.default.svc");
        var refused = new List<string>();
        var validator = new BackendCertificateValidator(new BackendTls { CaPem = ca.ExportCertificatePem(), ServerName = "web.default.svc" }, refused.Add);

        Assert.False(validator.Validate(this, pod, null, SslPolicyErrors.None));
        Assert.False(validator.Validate(this, pod, null, SslPolicyErrors.None));
        Assert.Contains("not trusted by the policy's CA bundle", Assert.Single(refused), StringComparison.Ordinal);
    }

    [Fact]
    public void The_name_checked_is_the_policys_not_the_connections()
    {
        using var ca = Authority("Pod CA");
        using var pod = Issue(ca, "other.default.svc");
        var refused = new List<string>();
        var validator = new BackendCertificateValidator(new BackendTls { CaPem = ca.ExportCertificatePem(), ServerName = "web.default.svc" }, refused.Add);

        Assert.False(validator.Validate(this, pod, null, SslPolicyErrors.None));
        Assert.Contains("is not for web.default.svc", Assert.Single(refused), StringComparison.Ordinal);
    }

    [Fact]
    public void Subject_alt_names_replace_the_server_name_for_the_check()
    {
        using var ca = Authority("Pod CA");
        using var pod = Issue(ca, "spiffe-less.example");
        var policy = new BackendTls { CaPem = ca.ExportCertificatePem(), ServerName = "web.default.svc", SubjectAltNames = ["other.example", "spiffe-less.example"] };

        Assert.True(new BackendCertificateValidator(policy).Validate(this, pod, null, SslPolicyErrors.None));
        Assert.False(new BackendCertificateValidator(policy with { SubjectAltNames = ["web.default.svc"] }).Validate(this, pod, null, SslPolicyErrors.None));
    }

    [Theory]
    [InlineData(new[] { "spiffe://abc.example.com/test-identity" }, new string[0], true)]
    [InlineData(new[] { "spiffe://def.example.com/test-identity" }, new string[0], false)]
    [InlineData(new[] { "spiffe://abc.example.com/test-identity" }, new[] { "abc.example.com" }, true)]
    [InlineData(new[] { "spiffe://def.example.com/test-identity" }, new[] { "abc.example.com" }, true)]
    [InlineData(new[] { "spiffe://def.example.com/test-identity" }, new[] { "def.example.com" }, false)]
    [InlineData(new[] { "spiffe://abc.example.com/other-identity" }, new string[0], false)]
    [InlineData(new[] { "abc.example.com" }, new string[0], false)]
    public void Uri_subject_alt_names_match_the_certificates_uri_entries_exactly(string[] uris, string[] dnsNames, bool accepted)
    {
        // The suite's BackendTLSPolicySANValidation pod: abc.example.com and spiffe://abc.example.com/test-identity.
        using var ca = Authority("Pod CA");
        using var pod = Issue(ca, "abc.example.com", new Uri("spiffe://abc.example.com/test-identity"));
        var refused = new List<string>();
        var policy = new BackendTls { CaPem = ca.ExportCertificatePem(), ServerName = "abc.example.com", SubjectAltNames = [.. dnsNames], SubjectAltUris = [.. uris] };

        Assert.Equal(accepted, new BackendCertificateValidator(policy, refused.Add).Validate(this, pod, null, SslPolicyErrors.None));
        Assert.Equal(accepted ? 0 : 1, refused.Count);
    }

    [Fact]
    public void A_certificate_without_uri_entries_is_refused_by_a_uri_subject_alt_name()
    {
        using var ca = Authority("Pod CA");
        using var pod = Issue(ca, "abc.example.com");
        var policy = new BackendTls { CaPem = ca.ExportCertificatePem(), ServerName = "abc.example.com", SubjectAltUris = ["spiffe://abc.example.com/test-identity"] };

        Assert.Empty(CertificateUris.Of(pod));
        Assert.False(new BackendCertificateValidator(policy).Validate(this, pod, null, SslPolicyErrors.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n")]
    public void A_bundle_without_a_usable_certificate_fails_every_connection(string pem)
    {
        using var ca = Authority("Pod CA");
        using var pod = Issue(ca, "web.default.svc");
        var validator = new BackendCertificateValidator(new BackendTls { CaPem = pem, ServerName = "web.default.svc" });

        Assert.NotNull(validator.Problem);
        Assert.False(validator.Validate(this, pod, null, SslPolicyErrors.None));
    }

    [Fact]
    public void An_unverified_policy_accepts_anything()
    {
        using var ca = Authority("Self");
        Assert.True(new BackendCertificateValidator(BackendTls.Unverified).Validate(this, ca, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UnixEpoch.AddYears(50), DateTimeOffset.UnixEpoch.AddYears(100));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string dnsName, Uri? uri = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        if (uri is not null)
        {
            names.AddUri(uri);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.Create(ca, DateTimeOffset.UnixEpoch.AddYears(51), DateTimeOffset.UnixEpoch.AddYears(99), [1, 2, 3, 4]);
    }
}
