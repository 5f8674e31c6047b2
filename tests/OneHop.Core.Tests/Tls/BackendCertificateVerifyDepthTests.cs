using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Routing;
using OneHop.Core.Tls;

namespace OneHop.Core.Tests.Tls;

/// <summary>
/// nginx's <c>proxy_ssl_verify_depth</c> on a <see cref="BackendTls"/>, as OpenSSL counts it (checked against
/// <c>openssl verify -verify_depth</c> by BackendCertificateVerifyDepthOpenSslTests): depth 0 accepts a certificate the CA
/// signed directly and refuses one below an intermediate, which depth 1 (nginx's default) accepts; the protocol names map
/// to .NET's.
/// </summary>
public sealed class BackendCertificateVerifyDepthTests
{
    [Theory]
    [InlineData(false, 0, true)]
    [InlineData(true, 0, false)]
    [InlineData(false, 1, true)]
    [InlineData(true, 1, true)]
    [InlineData(true, null, true)]
    public void The_verify_depth_limits_the_certificates_between_the_pod_and_its_CA(bool viaIntermediate, int? depth, bool accepted)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Authority("Root CA", rootKey, null, null);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediate = Authority("Intermediate CA", intermediateKey, root, rootKey);
        using var pod = Issue(viaIntermediate ? intermediate : root, "web.pods.test");
        using var sent = new X509Chain();
        sent.ChainPolicy.ExtraStore.Add(intermediate);
        var refused = new List<string>();
        var policy = new BackendTls { CaPem = root.ExportCertificatePem(), ServerName = "web.pods.test", VerifyDepth = depth };

        Assert.Equal(accepted, new BackendCertificateValidator(policy, refused.Add).Validate(this, pod, sent, SslPolicyErrors.None));
        Assert.Equal(accepted ? 0 : 1, refused.Count(r => r.Contains($"more than the verify depth {depth}", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("TLSv1.2", System.Security.Authentication.SslProtocols.Tls12)]
    [InlineData("TLSv1.2 TLSv1.3", System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)]
    public void Protocol_names_are_offered_as_dotnet_s(string names, System.Security.Authentication.SslProtocols expected)
    {
        var options = new SslClientAuthenticationOptions();
        new BackendCertificateValidator(new BackendTls { Verify = false, Protocols = names }).Apply(options);
        Assert.Equal(expected, options.EnabledSslProtocols);
    }

    private static X509Certificate2 Authority(string name, ECDsa key, X509Certificate2? issuer, ECDsa? issuerKey)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var (from, to) = (DateTimeOffset.UnixEpoch.AddYears(50), DateTimeOffset.UnixEpoch.AddYears(100));
        if (issuer is null)
        {
            return request.CreateSelfSigned(from, to);
        }

        using var signed = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey!), from.AddDays(1), to.AddDays(-1), [5, 6, 7, 8]);
        return signed.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.Create(ca, DateTimeOffset.UnixEpoch.AddYears(51), DateTimeOffset.UnixEpoch.AddYears(99), [1, 2, 3, 4]);
    }
}
