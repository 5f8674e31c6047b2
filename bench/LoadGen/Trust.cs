using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace LoadGen;

/// <summary>Validates the proxies' certificates against the benchmark's own test CA (--ca), not the system store.</summary>
internal sealed class Trust(string caFile)
{
    private readonly X509Certificate2 _ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
