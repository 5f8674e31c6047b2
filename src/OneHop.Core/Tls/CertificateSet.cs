using System.Net.Security;
using System.Security.Authentication;
using OneHop.Core.Routing;

namespace OneHop.Core.Tls;

/// <summary>
/// One immutable generation of what TLS handshakes use: per SNI host the server options (certificate, ALPN,
/// client-certificate requirement), exact names first, then one-label wildcards, then the default.
/// </summary>
internal sealed class CertificateSet(
    Dictionary<string, SslServerAuthenticationOptions> exact,
    Dictionary<string, SslServerAuthenticationOptions> wildcard,
    SslServerAuthenticationOptions fallback,
    Dictionary<string, ClientCa> clientCas,
    IReadOnlyList<ServedCertificate> served)
{
    /// <summary>Every certificate this generation presents, the default one last.</summary>
    public IReadOnlyList<ServedCertificate> Served { get; } = served;

    private readonly HostMap<SslServerAuthenticationOptions> _options = new(exact.Concat(wildcard.Select(p => KeyValuePair.Create("*." + p.Key, p.Value))));
    private readonly HostMap<ClientCa> _clientCas = new(clientCas);

    public bool RequiresClientCertificates => clientCas.Count > 0;

    /// <summary>
    /// The sets of the Gateway ports with handshakes of their own, by port: those that validate client certificates (their
    /// handshakes ask for one), and those whose listener without hostname brings the certificate for unknown names.
    /// </summary>
    public IReadOnlyDictionary<int, CertificateSet> Ports { get; init; } = new Dictionary<int, CertificateSet>();

    /// <summary>The snapshot's certificates by id, without ALPN: for the TLS that TLS listeners in Terminate mode end.</summary>
    public IReadOnlyDictionary<string, SslServerAuthenticationOptions> Streams { get; init; } = new Dictionary<string, SslServerAuthenticationOptions>();

    /// <summary>The default certificate, without ALPN, for a stream whose certificate is not in <see cref="Streams"/>.</summary>
    public SslServerAuthenticationOptions? StreamFallback { get; init; }

    /// <summary>The options for terminating a TLS stream with the snapshot certificate <paramref name="certificateId"/>, else the default one.</summary>
    public SslServerAuthenticationOptions ForStream(string? certificateId) =>
        certificateId is not null && Streams.TryGetValue(certificateId, out var options) ? options : StreamFallback ?? fallback;

    /// <summary>The options for a handshake on <paramref name="localPort"/>: the port's own set when it has one.</summary>
    public SslServerAuthenticationOptions Select(string? serverName, int localPort) =>
        Ports.Count > 0 && Ports.TryGetValue(localPort, out var port) ? port.Select(serverName) : Select(serverName);

    /// <summary>Refuse a handshake for a name with no certificate, or none, instead of the default certificate (nginx's ssl_reject_handshake).</summary>
    public bool RejectsUnknownNames { get; init; }

    public SslServerAuthenticationOptions Select(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName) && _options.TryGet(serverName.AsSpan().TrimEnd('.'), out var options))
        {
            return options;
        }

        return RejectsUnknownNames
            ? throw new AuthenticationException(string.IsNullOrEmpty(serverName) ? "no server name (SNI): refused, as tls.rejectUnknownNames asks" : $"no certificate for '{serverName}': refused, as tls.rejectUnknownNames asks")
            : fallback;
    }

    /// <summary>The CA client certificates for a request host must chain to; null when none is required.</summary>
    public ClientCa? ClientCaFor(ReadOnlySpan<char> host)
    {
        return clientCas.Count > 0 && _clientCas.TryGet(host, out var bundle) ? bundle : null;
    }
}
