namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// Receives a response head's end-to-end parts once the whole head has been validated, so nothing of a malformed
/// answer ever reaches the client. A struct implementation is called without boxing.
/// </summary>
internal interface IHttp1HeaderSink
{
    /// <summary>The status code and the reason phrase (possibly empty) of the status line.</summary>
    void Status(int statusCode, ReadOnlySpan<byte> reason);

    /// <summary>One field line to forward: hop-by-hop fields and Content-Length are not passed (the parser reads them).</summary>
    void Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
