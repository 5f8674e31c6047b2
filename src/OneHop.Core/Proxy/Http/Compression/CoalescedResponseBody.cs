using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Proxy.Http.Compression;

/// <summary>
/// The response body under ASP.NET Core's compressing body: its writes go into the response's pipe without a flush of
/// their own, so that the coder's many small writes (each block, the trailer) leave in the writes the forwarder flushes,
/// not one send each — Kestrel's response stream flushes every write. At most <see cref="MaxUnflushed"/> bytes wait,
/// so a client slower than the pod still holds the pod back. Kept per connection with its <see cref="ResponseCoding"/>.
/// </summary>
internal sealed class CoalescedResponseBody : ResponseBodyStream, IHttpResponseBodyFeature
{
    /// <summary>Kestrel's own default response buffer limit: past it a writer waits for the client.</summary>
    private const int MaxUnflushed = 64 * 1024;

    private IHttpResponseBodyFeature _inner = null!;
    private long _unflushed;
    private bool _flushEachWrite;
    private bool _gone;

    public Stream Stream => this;

    public PipeWriter Writer => _inner.Writer;

    /// <summary>Stands in for <paramref name="inner"/> for one answer.</summary>
    public CoalescedResponseBody Over(IHttpResponseBodyFeature inner)
    {
        (_inner, _unflushed, _flushEachWrite, _gone) = (inner, 0, false, false);
        return this;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_gone)
        {
            return ValueTask.CompletedTask;
        }

        _inner.Writer.Write(buffer.Span);
        _unflushed += buffer.Length;
        return _flushEachWrite || _unflushed >= MaxUnflushed ? FlushCoreAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Into the pipe, as the coder's synchronous dispose writes its trailer; sent by the next flush or the answer's end.</summary>
    public override void Write(byte[] buffer, int offset, int count)
    {
        if (_gone)
        {
            return;
        }

        _inner.Writer.Write(buffer.AsSpan(offset, count));
        _unflushed += count;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => FlushCoreAsync(cancellationToken).AsTask();

    /// <summary>
    /// A forwarder that streams without flushing (YARP's copier writes and relies on each write being sent) asks for
    /// this: then every write is flushed, compressed or not, as Kestrel's own stream would.
    /// </summary>
    public void DisableBuffering()
    {
        _flushEachWrite = true;
        _inner.DisableBuffering();
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        _inner.SendFileAsync(path, offset, count, cancellationToken);

    public Task CompleteAsync() => _inner.CompleteAsync();

    /// <summary>
    /// Sends what waits. The first flush that finds the client gone (or the answer aborted) throws, so the forwarder
    /// copying the pod's answer stops as it does on Kestrel's pipe; after it, writes and flushes do nothing, so that
    /// finishing the coded answer (the trailer, the library's completion) neither throws again nor keeps the coder's
    /// native state from being released.
    /// </summary>
    private async ValueTask FlushCoreAsync(CancellationToken cancellationToken)
    {
        if (_gone)
        {
            return;
        }

        _unflushed = 0;
        var result = await _inner.Writer.FlushAsync(cancellationToken);
        if (result.IsCanceled || result.IsCompleted)
        {
            _gone = true;
            throw new OperationCanceledException("The client stopped reading.");
        }
    }
}
