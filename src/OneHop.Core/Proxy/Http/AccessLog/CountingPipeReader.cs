using System.Buffers;
using System.IO.Pipelines;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>A request's PipeReader that counts the body bytes consumed through it (for the access log's bytes_in).</summary>
internal sealed class CountingPipeReader : PipeReader
{
    private PipeReader _inner = null!;
    private ReadOnlySequence<byte> _last;

    public long Bytes { get; private set; }

    /// <summary>Counts from zero in front of <paramref name="inner"/> (the wrapper is reused by a connection's next request).</summary>
    public void Reset(PipeReader inner)
    {
        _inner = inner;
        _last = default;
        Bytes = 0;
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _last = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        var read = _inner.TryRead(out result);
        _last = read ? result.Buffer : default;
        return read;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        Count(consumed);
        _inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        Count(consumed);
        _inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

    private void Count(SequencePosition consumed)
    {
        Bytes += _last.Slice(0, consumed).Length;
        _last = default;
    }
}
