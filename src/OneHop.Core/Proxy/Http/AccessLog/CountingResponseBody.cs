using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>
/// The response body feature with its writer and stream counted: forwarders write through either (OneHop's own
/// through the PipeWriter, YARP's through the stream), and both reach Kestrel's one body.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the wrapper owns nothing: the server disposes the body it wraps")]
internal sealed class CountingResponseBody(IHttpResponseBodyFeature inner) : IHttpResponseBodyFeature
{
    private readonly CountingPipeWriter _writer = new(inner.Writer);
    private readonly CountingStream _stream = new(inner.Stream);
    private long _files;

    public long Bytes => _writer.Bytes + _stream.Bytes + _files;

    public Stream Stream => _stream;

    public PipeWriter Writer => _writer;

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        _files += count ?? new FileInfo(path).Length - offset;
        return inner.SendFileAsync(path, offset, count, cancellationToken);
    }

    public Task CompleteAsync() => inner.CompleteAsync();
}
