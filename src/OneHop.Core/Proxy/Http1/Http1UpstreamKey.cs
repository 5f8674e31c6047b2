namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// What makes two upstream connections interchangeable: the same address and port, the same TLS settings and the same
/// SNI name. The pool of an endpoint is found by this key (<see cref="Http1Forwarder.Upstream"/>).
/// </summary>
/// <param name="Host">An IP address (a pod) or a DNS name (a static upstream), resolved on every connect.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="Tls">Plain or TLS, and what the server's certificate is verified against.</param>
/// <param name="CaPem">The PEM CA bundle trusted with <see cref="Http1TlsMode.CustomRoots"/>; null otherwise.</param>
/// <param name="Sni">
/// The TLS server name sent and verified; null sends <paramref name="Host"/> when it is a name (an IP address is
/// verified against the certificate's IP entries and sends no SNI).
/// </param>
internal sealed record Http1UpstreamKey(string Host, int Port, Http1TlsMode Tls = Http1TlsMode.None, string? CaPem = null, string? Sni = null)
{
    /// <summary>"host:port", for logs.</summary>
    public override string ToString() => Tls == Http1TlsMode.None ? $"{Host}:{Port}" : $"{Host}:{Port} (tls {Sni ?? Host})";
}
