using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// What makes two upstream connections interchangeable: the same address and port and the same TLS policy (trust,
/// name, client certificate). The pool of an endpoint is found by this key (<see cref="Http1Forwarder.Upstream"/>), so
/// two policies never share a connection.
/// </summary>
/// <param name="Host">An IP address (a pod) or a DNS name (a static upstream), resolved on every connect.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="Tls">
/// Null for plain TCP; else how the endpoint's certificate is verified. Without a server name of its own the TLS name
/// is <paramref name="Host"/> (an IP address is verified against the certificate's IP entries and sends no SNI).
/// </param>
internal sealed record Http1UpstreamKey(string Host, int Port, BackendTls? Tls = null)
{
    /// <summary>"host:port", for logs.</summary>
    public override string ToString() => Tls is null ? $"{Host}:{Port}" : $"{Host}:{Port} (tls {Tls.ServerName ?? Host})";
}
