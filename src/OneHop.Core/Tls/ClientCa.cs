using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OneHop.Core.Tls;

/// <summary>
/// A host's client CA as handshakes and requests check it: the bundle (custom root trust, client-auth usage, no
/// revocation lookups), the verify depth, and an identity that names both, so a verification cached for one CA is never
/// taken for another.
/// </summary>
internal sealed class ClientCa
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <param name="pem">The bundle; empty for an unusable Secret, which trusts nothing (fail closed).</param>
    /// <param name="verifyDepth">nginx's ssl_verify_depth, counted as OpenSSL does; null for any depth.</param>
    public ClientCa(string pem, int? verifyDepth)
    {
        if (pem.Length > 0)
        {
            Trusted.ImportFromPem(pem);
        }

        VerifyDepth = verifyDepth;
        Identity = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(pem))) + ":" + (verifyDepth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any");
    }

    public X509Certificate2Collection Trusted { get; } = [];

    public int? VerifyDepth { get; }

    /// <summary>
    /// The handshake lets every client in (after recording what it verified) and the request decides: for
    /// auth-tls-verify-client optional and optional_no_ca, and auth-tls-error-page.
    /// </summary>
    public bool CompletesHandshake { get; init; }

    /// <summary>The bundle's SHA-256 and the depth: the cache key's CA half.</summary>
    public string Identity { get; }

    /// <summary>The policy a chain is built with: only this bundle's certificates are anchors; the client's intermediates go in ExtraStore.</summary>
    public X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(Trusted);
        policy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        return policy;
    }

    /// <summary>
    /// Why a built chain is too deep for nginx, null when it is not: OpenSSL's depth (X509_VERIFY_PARAM_set_depth) is the
    /// most intermediates between the client's certificate and its trust anchor, neither of which counts.
    /// </summary>
    public string? TooDeep(X509Chain chain) =>
        VerifyDepth is { } depth && chain.ChainElements.Count - 2 > depth ? "certificate chain too long" : null;
}
