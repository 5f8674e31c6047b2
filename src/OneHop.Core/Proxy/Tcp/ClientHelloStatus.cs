namespace OneHop.Core.Proxy.Tcp;

/// <summary>What the bytes read so far hold of a TLS ClientHello.</summary>
internal enum ClientHelloStatus
{
    /// <summary>A well-formed ClientHello, possibly without a server name.</summary>
    Complete,

    /// <summary>Valid so far; more bytes are needed.</summary>
    Incomplete,

    /// <summary>Not a ClientHello, or one that breaks the grammar or OneHop's bounds: the connection is closed.</summary>
    Malformed,
}
