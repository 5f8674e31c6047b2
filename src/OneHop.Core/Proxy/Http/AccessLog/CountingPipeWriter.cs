using System.IO.Pipelines;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>A response's PipeWriter that counts the body bytes written through it (for the access log's bytes_out).</summary>
internal sealed class CountingPipeWriter : PipeWriter
{
    private PipeWriter _inner = null!;

    public long Bytes { get; private set; }

    /// <summary>Counts from zero in front of <paramref name="inner"/> (the wrapper is reused by a connection's next request).</summary>
    public void Reset(PipeWriter inner)
    {
        _inner = inner;
        Bytes = 0;
    }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        Bytes += bytes;
        _inner.Advance(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        Bytes += source.Length;
        return _inner.WriteAsync(source, cancellationToken);
    }

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);
}
