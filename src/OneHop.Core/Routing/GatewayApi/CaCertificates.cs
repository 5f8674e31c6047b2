using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>The PEM CA bundles Gateway API names by reference (a ConfigMap's <c>ca.crt</c>), checked as the translator reads them.</summary>
internal static class CaCertificates
{
    /// <summary>Why <paramref name="pem"/> is not a usable CA bundle; null when it holds at least one certificate.</summary>
    public static string? Problem(string pem)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            var count = certificates.Count;
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            return count == 0 ? "holds no PEM certificate" : null;
        }
        catch (CryptographicException ex)
        {
            return $"is not PEM certificates ({ex.Message})";
        }
    }
}
