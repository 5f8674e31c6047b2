using OneHop.Core.Sources.Kubernetes;

namespace OneHop.Core.Tests.Sources.Kubernetes;

public sealed class ThreadPoolReadStreamTests
{
    [Fact]
    public async Task A_read_completed_on_another_thread_returns_on_the_thread_pool()
    {
        using var inner = new ForeignThreadStream();
        using var stream = new ThreadPoolReadStream(inner);
        var buffer = new byte[4];

        var (read, thread, onPool) = await ReadAndLookAsync(stream, buffer);

        Assert.Equal(1, read);
        Assert.NotSame(inner.Completer, thread);
        Assert.True(onPool);
    }

    /// <summary>Goes on where the read finished (ConfigureAwait(false)), as a decoder awaiting the body does.</summary>
    private static async Task<(int Read, Thread Thread, bool OnPool)> ReadAndLookAsync(Stream stream, byte[] buffer)
    {
        var read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken).ConfigureAwait(false);
        return (read, Thread.CurrentThread, Thread.CurrentThread.IsThreadPoolThread);
    }

    [Fact]
    public async Task The_content_keeps_the_headers_and_the_bytes()
    {
        using var inner = new StringContent("{\"kind\":\"ServiceList\"}", System.Text.Encoding.UTF8, "application/json");
        using var content = new ThreadPoolReadContent(inner);

        Assert.Equal("application/json", content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"kind\":\"ServiceList\"}", await content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>A socket stand-in whose reads complete on a thread outside the pool, as a socket engine's thread.</summary>
    private sealed class ForeignThreadStream : Stream
    {
        public Thread? Completer { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var done = new TaskCompletionSource<int>();
            Completer = new Thread(() =>
            {
                Thread.Sleep(20);
                done.SetResult(1);
            });
            Completer.Start();
            return new ValueTask<int>(done.Task);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
