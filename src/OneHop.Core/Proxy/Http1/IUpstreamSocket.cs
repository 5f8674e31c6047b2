namespace OneHop.Core.Proxy.Http1;

/// <summary>The socket under an upstream connection, for what the pool asks of it besides the bytes its stream moves.</summary>
internal interface IUpstreamSocket : IDisposable
{
    /// <summary>
    /// True when the server has closed (or written to) the connection while it sat idle: one non-blocking look. A
    /// readable TLS socket with bytes waiting may only hold a session ticket, so for <paramref name="tls"/> only its end counts.
    /// </summary>
    bool LooksClosed(bool tls);
}
