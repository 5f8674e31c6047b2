using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Tls;

namespace OneHop.Core.Tests.Tls;

/// <summary>
/// Client certificate checks (ingress-nginx's <c>auth-tls-*</c>): chains through the intermediates the client sends, the
/// verify depth as OpenSSL counts it, and the cache that spares a keep-alive connection's requests and a returning
/// client a chain build each.
/// </summary>
public sealed class ClientCertificateVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly Authority _root = Authority.Root("Root CA");
    private readonly Authority _intermediate;
    private readonly Authority _second;

    public ClientCertificateVerifierTests()
    {
        _intermediate = _root.Issue("Intermediate CA");
        _second = _intermediate.Issue("Second Intermediate CA");
    }

    [Fact]
    public void A_certificate_verified_once_is_answered_from_the_cache()
    {
        var verifier = new ClientCertificateVerifier(_time);
        var ca = new ClientCa(_root.Pem, 1);
        using var client = _root.Client("partner-1");

        var first = verifier.Verify(ca, client, out _);
        var second = verifier.Verify(ca, client, out _);

        Assert.True(first);
        Assert.True(second);
        Assert.Equal(1, verifier.Builds);
        Assert.Equal(1, verifier.Hits);
    }

    [Fact]
    public void The_handshake_verifies_with_the_intermediate_the_client_sent_and_its_requests_find_that()
    {
        var verifier = new ClientCertificateVerifier(_time);
        var ca = new ClientCa(_root.Pem, 1);
        using var client = _intermediate.Client("partner-1");
        var withoutIntermediate = new ClientCertificateVerifier(_time);

        var handshake = verifier.Handshake(ca, client, HandshakeChain(ca, client, _intermediate), SslPolicyErrors.None);
        var request = verifier.Verify(ca, client, out _);
        var unsent = withoutIntermediate.Verify(ca, client, out var reason);

        Assert.True(handshake);
        Assert.True(request);
        Assert.Equal(0, verifier.Builds); // the request found the handshake's result
        Assert.Equal(1, verifier.Hits);
        Assert.False(unsent); // ca.crt alone does not reach the certificate: the intermediate it was sent with did
        Assert.Equal("unable to get local issuer certificate", reason);
    }

    [Theory]
    [InlineData(0, 1, true)]
    [InlineData(1, 1, true)]
    [InlineData(2, 1, false)]
    [InlineData(2, 2, true)]
    [InlineData(2, null, true)]
    public void The_verify_depth_counts_the_intermediates_between_the_certificate_and_its_ca(int intermediates, int? depth, bool accepted)
    {
        var verifier = new ClientCertificateVerifier(_time);
        var ca = new ClientCa(_root.Pem, depth);
        var issuer = intermediates switch { 0 => _root, 1 => _intermediate, _ => _second };
        using var client = issuer.Client("partner-1");
        Authority[] sent = intermediates switch { 0 => [], 1 => [_intermediate], _ => [_second, _intermediate] };

        Assert.Equal(accepted, verifier.Handshake(ca, client, HandshakeChain(ca, client, sent), SslPolicyErrors.None));
    }

    [Fact]
    public void An_intermediate_in_ca_crt_counts_toward_the_depth_as_openssl_counts_it()
    {
        var depthOne = new ClientCa(_intermediate.Pem + _root.Pem, 1);
        var depthZero = new ClientCa(_intermediate.Pem + _root.Pem, 0);
        using var client = _intermediate.Client("partner-1");

        Assert.True(new ClientCertificateVerifier(_time).Verify(depthOne, client, out _));
        Assert.False(new ClientCertificateVerifier(_time).Verify(depthZero, client, out var reason));
        Assert.Equal("certificate chain too long", reason);
    }

    [Fact]
    public void A_result_is_kept_per_ca_and_a_stranger_s_certificate_is_refused()
    {
        var verifier = new ClientCertificateVerifier(_time);
        var partners = new ClientCa(_root.Pem, 1);
        var strangers = new ClientCa(Authority.Root("Stranger CA").Pem, 1);
        using var client = _root.Client("partner-1");

        Assert.True(verifier.Verify(partners, client, out _));
        Assert.False(verifier.Verify(strangers, client, out var reason));
        Assert.Equal("unable to get local issuer certificate", reason);
        Assert.Equal(2, verifier.Builds);
    }

    [Fact]
    public void A_success_lasts_no_longer_than_the_certificate()
    {
        var verifier = new ClientCertificateVerifier(_time);
        var ca = new ClientCa(_root.Pem, 1);
        using var client = _root.Client("partner-1", Now.AddMinutes(10));

        Assert.True(verifier.Verify(ca, client, out _));
        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.False(verifier.Verify(ca, client, out var reason));
        Assert.Equal("certificate has expired", reason);
        Assert.Equal(2, verifier.Builds);
    }

    [Fact]
    public void A_session_resumed_without_the_intermediates_is_accepted_for_a_certificate_verified_before()
    {
        var verifier = new ClientCertificateVerifier(_time);
        var ca = new ClientCa(_root.Pem, 1);
        using var client = _intermediate.Client("partner-1");
        using var stranger = _intermediate.Client("partner-2");

        Assert.True(verifier.Handshake(ca, client, HandshakeChain(ca, client, _intermediate), SslPolicyErrors.None));

        Assert.True(verifier.Handshake(ca, client, HandshakeChain(ca, client), SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(verifier.Handshake(ca, stranger, HandshakeChain(ca, stranger), SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        var verifier = new ClientCertificateVerifier(_time, maxEntries: 3);
        var ca = new ClientCa(_root.Pem, 1);
        var clients = Enumerable.Range(0, 5).Select(i => _root.Client($"partner-{i}")).ToList();

        foreach (var client in clients)
        {
            Assert.True(verifier.Verify(ca, client, out _));
            Assert.InRange(verifier.Count, 1, 3);
        }

        clients.ForEach(c => c.Dispose());
    }

    public void Dispose()
    {
        _second.Dispose();
        _intermediate.Dispose();
        _root.Dispose();
    }

    /// <summary>The chain SslStream builds at a handshake: the CA's policy, the certificates the client sent in ExtraStore.</summary>
    private X509Chain HandshakeChain(ClientCa ca, X509Certificate2 client, params Authority[] sent)
    {
        var chain = new X509Chain { ChainPolicy = ca.ChainPolicy() };
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.VerificationTime = _time.GetLocalNow().DateTime;
        chain.ChainPolicy.ExtraStore.AddRange(sent.Select(a => a.Certificate).ToArray());
        chain.Build(client);
        return chain;
    }

    private sealed class Authority(X509Certificate2 certificate, ECDsa key) : IDisposable
    {
        public X509Certificate2 Certificate => certificate;

        public string Pem => certificate.ExportCertificatePem() + "\n";

        public static Authority Root(string name)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return new Authority(Request(name, key).CreateSelfSigned(Now.AddYears(-1), Now.AddYears(5)), key);
        }

        public Authority Issue(string name)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var issued = Request(name, key).Create(certificate, Now.AddYears(-1), Now.AddYears(4), RandomNumberGenerator.GetBytes(8));
            return new Authority(issued.CopyWithPrivateKey(key), key);
        }

        public X509Certificate2 Client(string name, DateTimeOffset? notAfter = null)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
            return request.Create(certificate, Now.AddDays(-1), notAfter ?? Now.AddYears(1), RandomNumberGenerator.GetBytes(8));
        }

        public void Dispose()
        {
            certificate.Dispose();
            key.Dispose();
        }

        private static CertificateRequest Request(string name, ECDsa key)
        {
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request;
        }
    }
}
