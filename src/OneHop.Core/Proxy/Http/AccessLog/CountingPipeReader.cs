using System.Buffers;
using System.IO.Pipelines;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>A request's PipeReader that counts the body bytes consumed through it (for the access log's bytes_in).</summary>
internal sealed class CountingPipeReader(PipeReader inner) : PipeReader
{
    private ReadOnlySequence<byte> _last;

    public long Bytes { get; private set; }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _last = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        var read = inner.TryRead(out result);
        _last = read ? result.Buffer : default;
        return read;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        Count(consumed);
        inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        Count(consumed);
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private void Count(SequencePosition consumed)
    {
        Bytes += _last.Slice(0, consumed).Length;
        _last = default;
    }
}
