using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>
/// The request body with its reader and stream counted: OneHop's own forwarder reads the PipeReader, YARP's the
/// stream. Both are taken from Kestrel before either is replaced, so neither reads through the other. Reusable: an
/// HTTP/1 connection's requests take turns with one (<see cref="CountingBodies"/>), and one attempt may count apart from
/// the whole request (<see cref="Detach"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the wrapper owns nothing: the server disposes the body it wraps")]
internal sealed class CountingRequestBody : IRequestBodyPipeFeature
{
    private readonly CountingPipeReader _reader = new();
    private readonly CountingStream _stream = new();
    private IRequestBodyPipeFeature? _inner;
    private Stream? _innerStream;

    public long Bytes => _reader.Bytes + _stream.Bytes;

    public PipeReader Reader => _reader;

    /// <summary>Puts counting, from zero, in front of the request body of <paramref name="features"/>.</summary>
    public void Attach(IFeatureCollection features)
    {
        var request = features.GetRequiredFeature<IHttpRequestFeature>();
        _inner = features.GetRequiredFeature<IRequestBodyPipeFeature>();
        _innerStream = request.Body;
        _reader.Reset(_inner.Reader);
        _stream.Reset(_innerStream);
        request.Body = _stream;
        features.Set<IRequestBodyPipeFeature>(this);
    }

    /// <summary>Puts back the reader and stream <see cref="Attach"/> found; <see cref="Bytes"/> keeps its count.</summary>
    public void Detach(IFeatureCollection features)
    {
        features.GetRequiredFeature<IHttpRequestFeature>().Body = _innerStream!;
        features.Set(_inner);
    }
}
