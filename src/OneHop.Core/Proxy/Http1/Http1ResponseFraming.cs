namespace OneHop.Core.Proxy.Http1;

/// <summary>How the end of a response body is found (RFC 9112 §6.3).</summary>
internal enum Http1ResponseFraming
{
    /// <summary>No body: a HEAD request, 1xx, 204 or 304.</summary>
    None,

    ContentLength,

    Chunked,

    /// <summary>Neither length nor chunked: the body ends when the server closes, and the connection goes with it.</summary>
    UntilClose,
}
