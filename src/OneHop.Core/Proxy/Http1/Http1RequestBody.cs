namespace OneHop.Core.Proxy.Http1;

/// <summary>How the request body is framed to the endpoint: as it was framed to OneHop when it can be.</summary>
internal enum Http1RequestBody
{
    /// <summary>No body (and no framing header, unless the client sent <c>Content-Length: 0</c>).</summary>
    None,

    /// <summary>The client's Content-Length, its bytes relayed exactly.</summary>
    ContentLength,

    /// <summary>A body of unknown length (chunked from an HTTP/1.1 client, or an HTTP/2 client's stream): chunked.</summary>
    Chunked,
}
