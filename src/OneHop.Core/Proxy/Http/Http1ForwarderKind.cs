namespace OneHop.Core.Proxy.Http;

/// <summary>Which forwarder carries requests to HTTP/1.1 backends (<c>run --http1-forwarder</c>).</summary>
internal enum Http1ForwarderKind
{
    /// <summary>OneHop's own HTTP/1.1 forwarder: pooled connections, the request head written from the inbound request.</summary>
    Lean,

    /// <summary>YARP's forwarder over SocketsHttpHandler, as every backend used before the lean one.</summary>
    Yarp,
}
