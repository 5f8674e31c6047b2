namespace OneHop.Core.Configuration;

/// <summary>What a listener speaks.</summary>
internal enum ListenerProtocol
{
    /// <summary>HTTP/1.1 in clear text.</summary>
    Http,

    /// <summary>TLS, with HTTP/2 and HTTP/1.1 negotiated by ALPN.</summary>
    Https,

    /// <summary>HTTP/2 in clear text with prior knowledge (gRPC clients inside a trusted network).</summary>
    H2c,

    /// <summary>TCP: each connection goes to one pod, bytes both ways.</summary>
    Tcp,

    /// <summary>UDP: a session per client address and port, pinned to one pod.</summary>
    Udp,

    /// <summary>TLS left untouched: the ClientHello's SNI picks the route, the pod terminates TLS.</summary>
    TlsPassthrough,
}
