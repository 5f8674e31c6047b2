namespace OneHop.Core.Proxy.Http1;

/// <summary>How a connection to an upstream is secured, and which certificates it trusts.</summary>
internal enum Http1TlsMode
{
    /// <summary>Plain TCP.</summary>
    None,

    /// <summary>TLS, the server's certificate verified against the system's roots.</summary>
    SystemRoots,

    /// <summary>TLS, the server's certificate verified against the PEM CA bundle of the key, and only those roots.</summary>
    CustomRoots,

    /// <summary>TLS without verifying the server's certificate (<c>backend-protocol: https</c> to a self-signed pod).</summary>
    SkipVerification,
}
