using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>
/// The response body feature with its writer and stream counted: forwarders write through either (OneHop's own
/// through the PipeWriter, YARP's through the stream), and both reach Kestrel's one body. Reusable: an HTTP/1
/// connection's requests take turns with one (<see cref="CountingBodies"/>), and one attempt may count apart from the
/// whole request (<see cref="Detach"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the wrapper owns nothing: the server disposes the body it wraps")]
internal sealed class CountingResponseBody : IHttpResponseBodyFeature
{
    private readonly CountingPipeWriter _writer = new();
    private readonly CountingStream _stream = new();
    private IHttpResponseBodyFeature _inner = null!;
    private long _files;

    public long Bytes => _writer.Bytes + _stream.Bytes + _files;

    public Stream Stream => _stream;

    public PipeWriter Writer => _writer;

    /// <summary>Puts counting, from zero, in front of the response body of <paramref name="features"/>.</summary>
    public void Attach(IFeatureCollection features)
    {
        _inner = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        _writer.Reset(_inner.Writer);
        _stream.Reset(_inner.Stream);
        _files = 0;
        features.Set<IHttpResponseBodyFeature>(this);
    }

    /// <summary>Puts back the body <see cref="Attach"/> found; <see cref="Bytes"/> keeps its count.</summary>
    public void Detach(IFeatureCollection features) => features.Set(_inner);

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        _files += count ?? new FileInfo(path).Length - offset;
        return _inner.SendFileAsync(path, offset, count, cancellationToken);
    }

    public Task CompleteAsync() => _inner.CompleteAsync();
}
