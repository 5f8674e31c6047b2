using System.Security.Cryptography.X509Certificates;

namespace OneHop.Core.Tls;

/// <summary>Checks a client certificate against a host's CA bundle (custom root trust, no revocation lookups).</summary>
internal static class ClientCertificates
{
    public static bool IsTrusted(X509Certificate2? certificate, X509Certificate2Collection trusted)
    {
        if (certificate is null || trusted.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }
}
