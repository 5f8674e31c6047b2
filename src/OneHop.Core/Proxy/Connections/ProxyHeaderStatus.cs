namespace OneHop.Core.Proxy.Connections;

internal enum ProxyHeaderStatus
{
    /// <summary>More bytes are needed.</summary>
    Incomplete,

    /// <summary>A whole, valid header.</summary>
    Complete,

    /// <summary>Not a valid header: the connection is closed.</summary>
    Malformed,
}
