using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace OneHop.Core.Tls;

/// <summary>
/// One immutable generation of what TLS handshakes use: per SNI host the server options (certificate, ALPN,
/// client-certificate requirement), exact names first, then one-label wildcards, then the default.
/// </summary>
internal sealed class CertificateSet(
    Dictionary<string, SslServerAuthenticationOptions> exact,
    Dictionary<string, SslServerAuthenticationOptions> wildcard,
    SslServerAuthenticationOptions fallback,
    Dictionary<string, X509Certificate2Collection> clientCas,
    IReadOnlyList<ServedCertificate> served)
{
    /// <summary>Every certificate this generation presents, the default one last.</summary>
    public IReadOnlyList<ServedCertificate> Served { get; } = served;

    private readonly Dictionary<string, SslServerAuthenticationOptions>.AlternateLookup<ReadOnlySpan<char>> _exact = exact.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly Dictionary<string, SslServerAuthenticationOptions>.AlternateLookup<ReadOnlySpan<char>> _wildcard = wildcard.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly Dictionary<string, X509Certificate2Collection>.AlternateLookup<ReadOnlySpan<char>> _clientCas = clientCas.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool RequiresClientCertificates => clientCas.Count > 0;

    public SslServerAuthenticationOptions Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return fallback;
        }

        var host = serverName.AsSpan().TrimEnd('.');
        if (_exact.TryGetValue(host, out var options))
        {
            return options;
        }

        var suffix = Routing.HostRules.WildcardSuffix(host);
        return suffix.Length > 0 && _wildcard.TryGetValue(suffix, out options) ? options : fallback;
    }

    /// <summary>The CA bundle client certificates for a request host must chain to; null when none is required.</summary>
    public X509Certificate2Collection? ClientCaFor(ReadOnlySpan<char> host)
    {
        if (clientCas.Count == 0)
        {
            return null;
        }

        if (_clientCas.TryGetValue(host, out var bundle))
        {
            return bundle;
        }

        var suffix = Routing.HostRules.WildcardSuffix(host);
        return suffix.Length > 0 && _clientCas.TryGetValue(string.Concat("*.", suffix), out bundle) ? bundle : null;
    }
}
