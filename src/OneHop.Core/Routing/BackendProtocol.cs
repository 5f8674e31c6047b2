namespace OneHop.Core.Routing;

/// <summary>How OneHop talks to a backend's endpoints.</summary>
internal enum BackendProtocol
{
    /// <summary>HTTP/1.1 in clear text (the default).</summary>
    Http,

    /// <summary>HTTP/1.1 over TLS (appProtocol <c>https</c>); pods' own certificates are not verified.</summary>
    Https,

    /// <summary>HTTP/2 in clear text with prior knowledge (appProtocol <c>kubernetes.io/h2c</c>, <c>http2</c>, <c>grpc</c>).</summary>
    H2c,

    /// <summary>HTTP/2 over TLS (annotation <c>grpcs</c>).</summary>
    H2,

    /// <summary>Bytes as they come, over TCP: the backends of tcp and tls-passthrough listeners.</summary>
    Tcp,

    /// <summary>Datagrams as they come: the backends of udp listeners.</summary>
    Udp,
}
