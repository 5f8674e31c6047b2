using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OneHop.Core.Tls;

/// <summary>
/// Client certificate verification with a bounded cache of results keyed by (CA identity, certificate SHA-256), so a
/// keep-alive connection's requests and a returning client are not re-verified each time. The handshake verifies with
/// the intermediates the client sent (SslStream builds that chain with <see cref="ClientCa.ChainPolicy"/>) and records
/// a success; a request finds it. A success holds until the earliest NotAfter of its chain (at most an hour); a
/// failure for a minute, as a certificate not yet valid may become so. No revocation is checked, so nothing else
/// changes a result.
/// </summary>
/// <param name="maxEntries">The most results kept: past it, expired ones are dropped, then all.</param>
internal sealed class ClientCertificateVerifier(TimeProvider time, int maxEntries = 4096)
{
    private const string UnknownIssuer = "unable to get local issuer certificate";
    private const string SelfSigned = "self-signed certificate";

    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);
    private static readonly TimeSpan FailureAge = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Ca, string Certificate), Result> _results = new();
    private long _builds;
    private long _hits;

    /// <summary>Chains this verifier built itself (a cache miss at a request).</summary>
    public long Builds => Interlocked.Read(ref _builds);

    /// <summary>Checks answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public int Count => _results.Count;

    /// <summary>
    /// The handshake's validation callback: SslStream has built <paramref name="chain"/> with the CA's policy and the
    /// certificates the client sent. A session resumed without them is accepted when the certificate verified earlier.
    /// </summary>
    public bool Handshake(ClientCa ca, X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors)
    {
        if (presented is not X509Certificate2 certificate)
        {
            return false;
        }

        if (errors == SslPolicyErrors.None && chain is not null && ca.TooDeep(chain) is null)
        {
            Put(ca, certificate, new Result(null, Expiry(chain)));
            return true;
        }

        return Cached(ca, certificate) is { Reason: null };
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to <paramref name="ca"/> within its depth; <paramref name="reason"/>
    /// says why not, in OpenSSL's words (nginx's <c>$ssl_client_verify</c> FAILED:reason).
    /// </summary>
    public bool Verify(ClientCa ca, X509Certificate2? certificate, out string? reason)
    {
        if (certificate is null)
        {
            reason = "no certificate";
            return false;
        }

        if (Cached(ca, certificate) is not { } result)
        {
            Interlocked.Increment(ref _builds);
            result = Build(ca, certificate);
            Put(ca, certificate, result);
        }

        reason = result.Reason;
        return reason is null;
    }

    private Result? Cached(ClientCa ca, X509Certificate2 certificate)
    {
        if (!_results.TryGetValue((ca.Identity, Key(certificate)), out var result) || result.Expires <= time.GetUtcNow())
        {
            return null;
        }

        Interlocked.Increment(ref _hits);
        return result;
    }

    private Result Build(ClientCa ca, X509Certificate2 certificate)
    {
        using var chain = new X509Chain { ChainPolicy = ca.ChainPolicy() };
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.VerificationTime = time.GetLocalNow().DateTime;
        if (ca.Trusted.Count == 0 || !chain.Build(certificate))
        {
            return new Result(Reason(chain, certificate), time.GetUtcNow() + FailureAge);
        }

        return ca.TooDeep(chain) is { } tooDeep ? new Result(tooDeep, time.GetUtcNow() + FailureAge) : new Result(null, Expiry(chain));
    }

    private DateTimeOffset Expiry(X509Chain chain)
    {
        var expires = time.GetUtcNow() + MaxAge;
        foreach (var element in chain.ChainElements)
        {
            var notAfter = new DateTimeOffset(element.Certificate.NotAfter.ToUniversalTime());
            expires = notAfter < expires ? notAfter : expires;
        }

        return expires;
    }

    private void Put(ClientCa ca, X509Certificate2 certificate, Result result)
    {
        if (_results.Count >= maxEntries)
        {
            var now = time.GetUtcNow();
            foreach (var (key, old) in _results)
            {
                if (old.Expires <= now)
                {
                    _results.TryRemove(key, out _);
                }
            }

            if (_results.Count >= maxEntries)
            {
                _results.Clear();
            }
        }

        _results[(ca.Identity, Key(certificate))] = result;
    }

    private static string Key(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>OpenSSL's X509_verify_cert_error_string for the first problem, as nginx puts it in $ssl_client_verify.</summary>
    private static string Reason(X509Chain chain, X509Certificate2 certificate)
    {
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        return flags switch
        {
            _ when flags.HasFlag(X509ChainStatusFlags.NotTimeValid) && certificate.NotBefore > chain.ChainPolicy.VerificationTime => "certificate is not yet valid",
            _ when flags.HasFlag(X509ChainStatusFlags.NotTimeValid) => "certificate has expired",
            _ when flags.HasFlag(X509ChainStatusFlags.NotSignatureValid) => "certificate signature failure",
            _ when flags.HasFlag(X509ChainStatusFlags.NotValidForUsage) => "unsupported certificate purpose",
            _ when flags.HasFlag(X509ChainStatusFlags.InvalidBasicConstraints) => "invalid CA certificate",
            _ when certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) => SelfSigned,
            _ => UnknownIssuer,
        };
    }

    /// <summary>
    /// Whether <paramref name="reason"/> only says the CA is unknown: what nginx's optional_no_ca lets through
    /// (ngx_ssl_verify_error_optional), unlike an expired, misused or too deep certificate.
    /// </summary>
    public static bool UnknownCa(string reason) => reason is UnknownIssuer or SelfSigned;

    private sealed record Result(string? Reason, DateTimeOffset Expires);
}
