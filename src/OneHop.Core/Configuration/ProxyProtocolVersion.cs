namespace OneHop.Core.Configuration;

/// <summary>A PROXY protocol version OneHop writes to pods (<c>proxyProtocolToBackend</c>).</summary>
internal enum ProxyProtocolVersion
{
    /// <summary>The text header, <c>PROXY TCP4 ...\r\n</c>.</summary>
    V1,

    /// <summary>The binary header.</summary>
    V2,
}
