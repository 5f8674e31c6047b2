using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Proxy.Http.Pacing;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Proxy.Http.Pacing;

/// <summary>
/// nginx's limit_rate and limit_rate_after on fake time: the free bytes and one second's worth go at once, the rest as
/// time passes and never ahead of it, through the writer and the stream alike, in order; a client gone stops it.
/// </summary>
public sealed class PacedResponseBodyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_free_bytes_and_a_second_s_worth_go_at_once_and_the_rest_at_the_rate()
    {
        var time = new FakeTimeProvider();
        var client = new MemoryStream();
        var body = new PacedResponseBody().Over(new StreamResponseBodyFeature(client), new RouteResponseRate(1000, 500), time, Cancel);

        body.Writer.Write(new byte[4000]);
        var flush = body.Writer.FlushAsync(Cancel).AsTask();
        await SentAsync(client, 1500); // 500 free, then nginx's one second of head start
        Assert.False(flush.IsCompleted);

        for (var step = 1; step <= 5; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await SentAsync(client, 1500 + (100 * step)); // a tenth of a second's worth each tenth
        }

        time.Advance(TimeSpan.FromSeconds(1.9));
        await SentAsync(client, 3900); // never ahead of time: 500 + 1000 × (2.4 s + 1 s)
        time.Advance(TimeSpan.FromMilliseconds(100));
        await SentAsync(client, 4000);
        Assert.False((await flush).IsCompleted);
    }

    [Fact]
    public async Task A_short_answer_is_not_held_at_all()
    {
        var time = new FakeTimeProvider();
        var client = new MemoryStream();
        var body = new PacedResponseBody().Over(new StreamResponseBodyFeature(client), new RouteResponseRate(1024, 0), time, Cancel);

        await body.Stream.WriteAsync(new byte[1000], Cancel);
        Assert.Equal(1000, client.Length);
    }

    [Fact]
    public async Task The_stream_sends_after_what_the_writer_holds_so_order_is_kept()
    {
        var client = new MemoryStream();
        var body = new PacedResponseBody().Over(new StreamResponseBodyFeature(client), new RouteResponseRate(1 << 20, 0), new FakeTimeProvider(), Cancel);

        body.Writer.Write("head "u8);
        await body.Stream.WriteAsync("tail"u8.ToArray(), Cancel);
        body.Stream.Write("!"u8.ToArray(), 0, 1); // synchronous: waits for the drain at the answer's end
        Assert.Equal("head tail", System.Text.Encoding.ASCII.GetString(client.ToArray()));

        await body.DrainAsync();
        Assert.Equal("head tail!", System.Text.Encoding.ASCII.GetString(client.ToArray()));
        body.Release();
    }

    [Fact]
    public async Task A_client_gone_stops_the_sending_and_says_so()
    {
        var pipe = new Pipe();
        await pipe.Reader.CompleteAsync();
        var body = new PacedResponseBody().Over(new PipeResponseBody(pipe.Writer), new RouteResponseRate(100, 0), new FakeTimeProvider(), Cancel);

        body.Writer.Write(new byte[1000]);
        var result = await body.Writer.FlushAsync(Cancel); // the first 100 bytes find the client gone: no waiting for the rest
        Assert.True(result.IsCompleted);
        Assert.True((await body.Writer.WriteAsync(new byte[10], Cancel)).IsCompleted);
    }

    [Fact]
    public async Task A_client_that_leaves_while_its_answer_waits_cancels_the_wait()
    {
        using var aborted = new CancellationTokenSource();
        var body = new PacedResponseBody().Over(new StreamResponseBodyFeature(new MemoryStream()), new RouteResponseRate(100, 0), new FakeTimeProvider(), aborted.Token);

        body.Writer.Write(new byte[1000]);
        var flush = body.Writer.FlushAsync(CancellationToken.None).AsTask();
        Assert.False(flush.IsCompleted);
        await aborted.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush);
    }

    /// <summary>After an upgrade (101) Kestrel's response writer throws on any flush: the answer's end, with nothing held, must not flush.</summary>
    [Fact]
    public async Task The_answer_s_end_flushes_nothing_when_nothing_is_held()
    {
        var body = new PacedResponseBody().Over(new PipeResponseBody(new ThrowingWriter()), new RouteResponseRate(1000, 0), new FakeTimeProvider(), Cancel);
        await body.DrainAsync();
        body.Release();
    }

    [Theory]
    [InlineData(1024L, 102)]
    [InlineData(5L, 1)]
    [InlineData(100L << 20, 64 * 1024)]
    public void A_slice_is_a_tenth_of_a_second_s_worth_within_bounds(long rate, int slice)
    {
        var pace = new ResponsePace();
        pace.Start(new RouteResponseRate(rate, 0), new FakeTimeProvider());
        Assert.Equal(slice, pace.Slice);
    }

    /// <summary>Kestrel's writer after an upgrade: every use is an error.</summary>
    private sealed class ThrowingWriter : PipeWriter
    {
        public override void Advance(int bytes) => throw new InvalidOperationException("upgraded");

        public override void CancelPendingFlush() => throw new InvalidOperationException("upgraded");

        public override void Complete(Exception? exception = null) => throw new InvalidOperationException("upgraded");

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException("upgraded");

        public override Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("upgraded");

        public override Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("upgraded");
    }

    /// <summary>Waits (in real time, fake time standing still) until <paramref name="client"/> holds <paramref name="bytes"/>; more is a failure.</summary>
    private static async Task SentAsync(MemoryStream client, long bytes)
    {
        for (var tries = 0; client.Length < bytes && tries < 500; tries++)
        {
            await Task.Delay(10, Cancel);
        }

        await Task.Delay(20, Cancel); // nothing more may follow while fake time stands still
        Assert.Equal(bytes, client.Length);
    }
}
