namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The shape of a response body's Stream that OneHop puts in front of Kestrel's (compression's, pacing's): written to,
/// never read or sought; a synchronous flush does nothing, since Kestrel refuses synchronous I/O.
/// </summary>
internal abstract class ResponseBodyStream : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
