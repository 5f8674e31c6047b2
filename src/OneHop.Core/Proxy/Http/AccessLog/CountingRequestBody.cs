using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>
/// The request body with its reader and stream counted: OneHop's own forwarder reads the PipeReader, YARP's the
/// stream. Both are taken from Kestrel before either is replaced, so neither reads through the other.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the wrapper owns nothing: the server disposes the body it wraps")]
internal sealed class CountingRequestBody : IRequestBodyPipeFeature
{
    private readonly CountingPipeReader _reader;
    private readonly CountingStream _stream;

    private CountingRequestBody(PipeReader reader, Stream stream)
    {
        _reader = new CountingPipeReader(reader);
        _stream = new CountingStream(stream);
    }

    public long Bytes => _reader.Bytes + _stream.Bytes;

    public PipeReader Reader => _reader;

    /// <summary>Puts counting in front of the request body of <paramref name="features"/>.</summary>
    public static CountingRequestBody Attach(IFeatureCollection features)
    {
        var request = features.GetRequiredFeature<IHttpRequestFeature>();
        var counting = new CountingRequestBody(features.GetRequiredFeature<IRequestBodyPipeFeature>().Reader, request.Body);
        request.Body = counting._stream;
        features.Set<IRequestBodyPipeFeature>(counting);
        return counting;
    }
}
