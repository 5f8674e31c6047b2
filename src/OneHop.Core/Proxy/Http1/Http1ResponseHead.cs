namespace OneHop.Core.Proxy.Http1;

/// <summary>What the forwarder needs from a validated response head: its size, status and framing.</summary>
internal struct Http1ResponseHead
{
    /// <summary>Bytes of the head, status line through the empty line.</summary>
    public int Length;

    /// <summary>The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1 and above.</summary>
    public int VersionMinor;

    public int StatusCode;

    /// <summary>The Content-Length, or -1 without one.</summary>
    public long ContentLength;

    /// <summary><c>Transfer-Encoding: chunked</c> (the only transfer coding accepted).</summary>
    public bool Chunked;

    /// <summary><c>Connection: close</c>.</summary>
    public bool Close;

    /// <summary><c>Connection: keep-alive</c> (what keeps an HTTP/1.0 answer's connection open).</summary>
    public bool KeepAlive;

    /// <summary>Header fields in the head, forwarded or not.</summary>
    public int HeaderCount;
}
