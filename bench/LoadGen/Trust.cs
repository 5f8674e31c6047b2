using System.Security.Cryptography.X509Certificates;

namespace LoadGen;

/// <summary>
/// Validates the proxies' certificates against the benchmark's own test CA (--ca), not the system store: SslStream
/// builds the chain with this policy itself (host name checked as usual), without loading the system's roots.
/// </summary>
internal sealed class Trust(string caFile)
{
    private readonly X509Certificate2 _ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));

    public X509ChainPolicy Policy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(_ca);
        return policy;
    }
}
