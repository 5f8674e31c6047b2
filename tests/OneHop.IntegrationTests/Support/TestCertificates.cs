using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A throwaway CA created for one test, the certificates it issues (as PEM, for Secrets and files), and HTTPS
/// clients that trust only that CA and verify host names — as real clients would.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name = "OneHop Test CA")
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>An intermediate CA signed by <paramref name="issuer"/>: it issues certificates of its own.</summary>
    private TestCertificates(string name, TestCertificates issuer)
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var issued = request.Create(issuer.Ca, DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddDays(20), RandomNumberGenerator.GetBytes(16));
        Ca = issued.CopyWithPrivateKey(_caKey);
    }

    public X509Certificate2 Ca { get; }

    /// <summary>An intermediate CA below this one.</summary>
    public TestCertificates Intermediate(string name) => new(name, this);

    public string CaPem => Ca.ExportCertificatePem();

    /// <summary>The CA's private key (PKCS#8 PEM), for a real responder that signs in its name (openssl ocsp).</summary>
    public string CaKeyPem => _caKey.ExportPkcs8PrivateKeyPem();

    /// <summary>A server certificate for <paramref name="names"/>; returns PEM certificate and key.</summary>
    public (string Certificate, string Key) Issue(params string[] names) => Leaf(names[0], names, "1.3.6.1.5.5.7.3.1");

    /// <summary>A server certificate for <paramref name="name"/> whose Authority Information Access names <paramref name="ocspUrl"/>, with the serial given.</summary>
    public (string Certificate, string Key) IssueWithOcsp(string name, string ocspUrl, byte[] serial) => Leaf(name, [name], "1.3.6.1.5.5.7.3.1", ocspUrl, serial);

    /// <summary>A client certificate.</summary>
    public X509Certificate2 IssueClient(string name)
    {
        var (certificate, key) = Leaf(name, [], "1.3.6.1.5.5.7.3.2");
        return X509Certificate2.CreateFromPem(certificate, key);
    }

    /// <summary>A kubernetes.io/tls Secret manifest; with <paramref name="ca"/> it also carries ca.crt (client CAs).</summary>
    public static string Secret(string name, (string Certificate, string Key) pair, string? ca = null, string ns = "default") => $"""
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
          namespace: {ns}
        type: kubernetes.io/tls
        data:
          tls.crt: {Convert.ToBase64String(Encoding.UTF8.GetBytes(pair.Certificate))}
          tls.key: {Convert.ToBase64String(Encoding.UTF8.GetBytes(pair.Key))}
        {(ca is null ? string.Empty : $"  ca.crt: {Convert.ToBase64String(Encoding.UTF8.GetBytes(ca))}")}

        """;

    /// <summary>
    /// An HTTPS client that connects to OneHop on 127.0.0.1:<paramref name="port"/> whatever host a URL names (so
    /// the URL's host is the SNI and the Host header), trusts only this CA, and records the server certificate.
    /// </summary>
    /// <param name="intermediates">Sent after the client certificate in the handshake, as a client configured with its chain does.</param>
    /// <param name="followRedirects">False to see a redirect itself.</param>
    public TlsClient Client(int port, X509Certificate2? clientCertificate = null, IPAddress? address = null, X509Certificate2[]? intermediates = null, bool followRedirects = true) => new(this, port, clientCertificate, address, intermediates, followRedirects);

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
    }

    private (string Certificate, string Key) Leaf(string subject, string[] names, string usage, string? ocspUrl = null, byte[]? serial = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        if (names.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        if (ocspUrl is not null)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspUrl], null));
        }

        using var certificate = request.Create(Ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial ?? RandomNumberGenerator.GetBytes(16));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>An HttpClient over <see cref="SocketsHttpHandler"/> with the CA's trust and connection counting.</summary>
    internal sealed class TlsClient : IDisposable
    {
        private int _connections;

        public TlsClient(TestCertificates ca, int port, X509Certificate2? clientCertificate, IPAddress? address = null, X509Certificate2[]? intermediates = null, bool followRedirects = true)
        {
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = followRedirects,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                ConnectCallback = async (context, token) =>
                {
                    Interlocked.Increment(ref _connections);
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(new IPEndPoint(address ?? IPAddress.Loopback, port), token);
                    return new NetworkStream(socket, ownsSocket: true);
                },
                SslOptions = new SslClientAuthenticationOptions
                {
                    ClientCertificates = clientCertificate is null || intermediates is not null ? null : [clientCertificate],
                    ClientCertificateContext = clientCertificate is null || intermediates is null ? null : SslStreamCertificateContext.Create(clientCertificate, [.. intermediates], offline: true),
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    {
                        LastServerCertificate = certificate is null ? null : new X509Certificate2(certificate);
                        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
                        {
                            return false;
                        }

                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(ca.Ca);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return chain.Build(new X509Certificate2(certificate));
                    },
                },
            };
            Http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
            Port = port;
        }

        public HttpClient Http { get; }

        public int Port { get; }

        public int Connections => Volatile.Read(ref _connections);

        public X509Certificate2? LastServerCertificate { get; private set; }

        public Uri Url(string host, string path = "/") => new($"https://{host}:{Port}{path}");

        public void Dispose() => Http.Dispose();
    }
}
