using System.IO.Pipelines;
using OneHop.Core.Proxy.Http.Compression;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Proxy.Http.Compression;

/// <summary>The coder's writes wait in the response pipe until a flush, at most 64 KiB of them; a gone client is an error.</summary>
public sealed class CoalescedResponseBodyTests
{
    [Fact]
    public async Task Writes_wait_for_a_flush_and_a_flush_sends_them()
    {
        var pipe = new Pipe();
        var body = new CoalescedResponseBody().Over(new PipeResponseBody(pipe.Writer));
        await body.WriteAsync(new byte[100], TestContext.Current.CancellationToken);
        body.Write(new byte[20], 0, 20);
        Assert.False(pipe.Reader.TryRead(out _));

        await body.FlushAsync(TestContext.Current.CancellationToken);
        Assert.True(pipe.Reader.TryRead(out var read));
        Assert.Equal(120, read.Buffer.Length);
    }

    [Fact]
    public async Task Past_64_KiB_unflushed_a_write_flushes_so_a_slow_client_holds_the_writer_back()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var body = new CoalescedResponseBody().Over(new PipeResponseBody(pipe.Writer));
        for (var i = 0; i < 15; i++)
        {
            await body.WriteAsync(new byte[4096], TestContext.Current.CancellationToken);
        }

        Assert.False(pipe.Reader.TryRead(out _));
        await body.WriteAsync(new byte[4096], TestContext.Current.CancellationToken);
        Assert.True(pipe.Reader.TryRead(out var read));
        Assert.Equal(64 * 1024, read.Buffer.Length);
    }

    [Fact]
    public async Task After_disable_buffering_every_write_is_sent()
    {
        var pipe = new Pipe();
        var body = new CoalescedResponseBody().Over(new PipeResponseBody(pipe.Writer));
        body.DisableBuffering();
        await body.WriteAsync(new byte[10], TestContext.Current.CancellationToken);
        Assert.True(pipe.Reader.TryRead(out var read));
        Assert.Equal(10, read.Buffer.Length);

        // The next answer of the connection starts buffered again.
        var next = new Pipe();
        body.Over(new PipeResponseBody(next.Writer));
        await body.WriteAsync(new byte[10], TestContext.Current.CancellationToken);
        Assert.False(next.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_flush_to_a_client_that_is_gone_throws_once()
    {
        var pipe = new Pipe();
        var body = new CoalescedResponseBody().Over(new PipeResponseBody(pipe.Writer));
        await pipe.Reader.CompleteAsync();
        await body.WriteAsync(new byte[10], TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<OperationCanceledException>(() => body.FlushAsync(TestContext.Current.CancellationToken));

        // Once: finishing the coded answer afterwards (the trailer, the library's completion) neither throws nor writes.
        await body.WriteAsync(new byte[10], TestContext.Current.CancellationToken);
        body.Write(new byte[10], 0, 10);
        await body.FlushAsync(TestContext.Current.CancellationToken);
    }
}
