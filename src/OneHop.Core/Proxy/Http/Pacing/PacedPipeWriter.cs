using System.Buffers;
using System.IO.Pipelines;

namespace OneHop.Core.Proxy.Http.Pacing;

/// <summary>
/// The paced body's PipeWriter: writes gather in a pooled buffer of its own (not the response's pipe, where a flush would
/// send all of them at once), and a flush hands them to <see cref="PacedResponseBody.SendAsync"/>. Only routes with a
/// rate pay the copy.
/// </summary>
internal sealed class PacedPipeWriter(PacedResponseBody body) : PipeWriter, Http1.IPacingWriter
{
    private const int MinimumBuffer = 16 * 1024;

    private byte[]? _buffer;
    private int _length;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _length;

    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, (_buffer?.Length ?? 0) - _length);
        _length += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_length);

    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_length);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        _length == 0 ? body.FlushInnerAsync(cancellationToken) : SendAsync(cancellationToken);

    public override void CancelPendingFlush() => body.Inner.CancelPendingFlush();

    /// <summary>Synchronous: what waits goes into the response's pipe unpaced, then the pipe completes.</summary>
    public override void Complete(Exception? exception = null)
    {
        if (_length > 0)
        {
            body.Inner.Write(_buffer.AsSpan(0, _length));
            _length = 0;
        }

        body.Inner.Complete(exception);
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        await FlushAsync();
        await body.Inner.CompleteAsync(exception);
    }

    /// <summary>The buffer back to the pool (the answer is over; a next one rents again).</summary>
    public void Release()
    {
        if (_buffer is { } buffer)
        {
            (_buffer, _length) = (null, 0);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<FlushResult> SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await body.SendAsync(_buffer.AsMemory(0, _length), cancellationToken);
        }
        finally
        {
            _length = 0;
        }
    }

    private byte[] Reserve(int sizeHint)
    {
        var needed = _length + Math.Max(sizeHint, 1);
        if (_buffer is { } buffer && buffer.Length >= needed)
        {
            return buffer;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, MinimumBuffer));
        if (_buffer is { } old)
        {
            old.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(old);
        }

        return _buffer = larger;
    }
}
