using System.Buffers;

namespace OneHop.Core.Proxy.Http.Pacing;

/// <summary>
/// The paced body's Stream, for forwarders that write through one (YARP's): each write is sent as the pace allows,
/// after what the writer holds, so the two stay in order.
/// </summary>
internal sealed class PacedStream(PacedResponseBody body) : ResponseBodyStream
{
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // A client gone is not an error of the write, as on Kestrel's own response stream; the request's abort stops the copy.
        await body.Writer.FlushAsync(cancellationToken);
        await body.SendAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Into the writer: sent, paced, by the next flush or the answer's end (Kestrel refuses synchronous sends).</summary>
    public override void Write(byte[] buffer, int offset, int count) => body.Writer.Write(buffer.AsSpan(offset, count));

    public override Task FlushAsync(CancellationToken cancellationToken) => body.Writer.FlushAsync(cancellationToken).AsTask();
}
