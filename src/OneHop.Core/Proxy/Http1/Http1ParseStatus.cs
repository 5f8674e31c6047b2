namespace OneHop.Core.Proxy.Http1;

/// <summary>Where parsing a response head, a chunk line or a trailer section stands.</summary>
internal enum Http1ParseStatus
{
    /// <summary>Valid so far; more bytes are needed.</summary>
    Incomplete,

    /// <summary>Parsed and valid.</summary>
    Complete,

    /// <summary>Not valid HTTP/1.1: the answer is not forwarded and the connection is closed.</summary>
    Malformed,
}
