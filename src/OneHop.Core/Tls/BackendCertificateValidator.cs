using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Routing;

namespace OneHop.Core.Tls;

/// <summary>
/// Verifies an endpoint's certificate against a <see cref="BackendTls"/>: the chain is built against the policy's CA
/// bundle only (<see cref="X509ChainTrustMode.CustomRootTrust"/>) or the system's roots, and the name checked is the
/// policy's (its subjectAltNames, else its server name, else the name the connection was opened for). One instance per
/// policy, shared by the HTTP/1.1 connector and the HTTP/2 client; it also makes the client certificate to present.
/// </summary>
/// <remarks>
/// The check is done in the validation callback rather than by SslStream's own name check because SocketsHttpHandler
/// (the HTTP/2 path) always opens TLS for the request's Host, not for the policy's hostname.
/// </remarks>
internal sealed class BackendCertificateValidator
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const int MaxReasonsKept = 64;

    private readonly BackendTls _policy;
    private readonly X509Certificate2Collection _roots = [];
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);
    private readonly Action<string>? _rejected;

    /// <param name="rejected">Told why a certificate was refused, once per distinct reason (the caller logs it).</param>
    public BackendCertificateValidator(BackendTls policy, Action<string>? rejected = null)
    {
        _policy = policy;
        _rejected = rejected;
        Problem = policy.Problem;
        if (Problem is not null)
        {
            return;
        }

        try
        {
            // An unverified policy may still present a certificate (ingress-nginx's proxy-ssl-secret with proxy-ssl-verify off).
            if (policy.Verify && policy.CaPem is { } pem)
            {
                _roots.ImportFromPem(pem);
                if (_roots.Count == 0)
                {
                    Problem = "the CA bundle holds no certificate";
                }
            }

            if (policy.ClientCertificatePem is { } certificate)
            {
                ClientCertificate = ClientContext(certificate, policy.ClientKeyPem ?? string.Empty);
            }
        }
        catch (CryptographicException ex)
        {
            Problem = ex.Message;
        }
    }

    /// <summary>Why no connection can be verified with this policy (an unreadable bundle): connections fail, never go unverified.</summary>
    public string? Problem { get; }

    /// <summary>The certificate presented to the endpoint, with its chain; null for none.</summary>
    public SslStreamCertificateContext? ClientCertificate { get; }

    /// <summary>Sets the policy's callback, client certificate and (when it names one) SNI on <paramref name="options"/>.</summary>
    public void Apply(SslClientAuthenticationOptions options)
    {
        // SslStream checks no revocation by default either; an internal CA rarely publishes a reachable CRL.
        options.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        options.RemoteCertificateValidationCallback = Validate;
        options.ClientCertificateContext = ClientCertificate;
        if (_policy.ServerName is { } name && !_policy.WithoutSni)
        {
            options.TargetHost = name;
        }

        if (_policy.Protocols is { } protocols)
        {
            options.EnabledSslProtocols = Protocols(protocols);
        }

        if (_policy.Ciphers is { } ciphers && OperatingSystem.IsLinux() && Configuration.TlsCipherSuiteList.Parse(ciphers, out _) is { } suites)
        {
            options.CipherSuitesPolicy = new CipherSuitesPolicy(suites.Suites);
        }
    }

    /// <summary>nginx's protocol names as <see cref="SslProtocols"/>.</summary>
    public static SslProtocols Protocols(string names) =>
        names.Split(' ', StringSplitOptions.RemoveEmptyEntries).Aggregate(SslProtocols.None, static (all, name) => all | name switch
        {
            "TLSv1.2" => SslProtocols.Tls12,
            "TLSv1.3" => SslProtocols.Tls13,
            _ => SslProtocols.None,
        });

    /// <summary>The validation callback: true when the policy accepts <paramref name="certificate"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!_policy.Verify && Problem is null)
        {
            return true;
        }

        var reason = Reject(sender, certificate, chain);
        if (reason is not null && _rejected is not null && _reported.Count < MaxReasonsKept && _reported.TryAdd(reason, 0))
        {
            _rejected(reason);
        }

        return reason is null;
    }

    /// <summary>Why <paramref name="presented"/> is refused; null when it is accepted.</summary>
    private string? Reject(object sender, X509Certificate? presented, X509Chain? sent)
    {
        if (Problem is not null)
        {
            return Problem;
        }

        if (presented is null)
        {
            return "the endpoint presented no certificate";
        }

        var certificate = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
        if (sent is not null)
        {
            // The intermediates the endpoint sent.
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
        }

        if (_roots.Count > 0)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        }

        if (!chain.Build(certificate))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
            return $"the certificate of {certificate.Subject} is not trusted by {(_roots.Count > 0 ? "the policy's CA bundle" : "the system's roots")} ({status})";
        }

        // nginx's depth is OpenSSL's (X509_VERIFY_PARAM_set_depth): the most intermediates between the endpoint's
        // certificate and its trust anchor, neither of which counts; 0 is a certificate the CA signed directly.
        if (_policy.VerifyDepth is { } depth && chain.ChainElements.Count - 2 > depth)
        {
            return $"the certificate of {certificate.Subject} has {chain.ChainElements.Count - 2} intermediate certificates below its CA, more than the verify depth {depth}";
        }

        // subjectAltNames must match a SAN entry (Gateway API): a DNS name, or a URI exactly; a single name may match the
        // common name, as SslStream's own check does.
        var byAltNames = !_policy.SubjectAltNames.IsEmpty || !_policy.SubjectAltUris.IsEmpty;
        string[] names = byAltNames ? [.. _policy.SubjectAltNames] : [_policy.ServerName ?? (sender as SslStream)?.TargetHostName ?? string.Empty];
        if (names.Any(n => n.Length > 0 && certificate.MatchesHostname(n, allowWildcards: true, allowCommonName: !byAltNames))
            || (!_policy.SubjectAltUris.IsEmpty && CertificateUris.Of(certificate).Any(u => _policy.SubjectAltUris.Contains(u, StringComparer.Ordinal))))
        {
            return null;
        }

        return $"the certificate of {certificate.Subject} is not for {string.Join(" or ", names.Concat(_policy.SubjectAltUris))}";
    }

    private static SslStreamCertificateContext ClientContext(string certificatePem, string keyPem)
    {
        using var pem = X509Certificate2.CreateFromPem(certificatePem, keyPem);

        // Re-imported so the private key is usable by the TLS stack on every platform (a PEM key is ephemeral).
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(certificatePem);
        return SslStreamCertificateContext.Create(certificate, [.. chain.Where(c => c.Thumbprint != certificate.Thumbprint)], offline: true);
    }
}
