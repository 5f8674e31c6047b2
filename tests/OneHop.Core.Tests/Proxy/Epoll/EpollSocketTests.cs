using System.Net;
using System.Net.Sockets;
using OneHop.Core.Proxy.Epoll;
using OneHop.Core.Tests.Proxy.Http1;

namespace OneHop.Core.Tests.Proxy.Epoll;

/// <summary>The epoll transport's socket against .NET's own sockets on loopback.</summary>
public sealed class EpollSocketTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private EpollSocket? _socket;
    private Socket? _peer;

    private EpollSocket Socket => _socket!;

    private Socket Peer => _peer!;

    public async ValueTask InitializeAsync()
    {
        Assert.SkipUnless(EpollEngine.IsSupported, "the epoll transport runs on Linux only");
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
        _socket = EpollSocket.Create(AddressFamily.InterNetwork, EpollEngine.Shared.Next());
        var accepting = _listener.AcceptAsync();
        await Socket.ConnectAsync((IPEndPoint)_listener.LocalEndPoint!, CancellationToken.None).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
        _peer = await accepting.WaitAsync(Bound, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        _peer?.Dispose();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Bytes_go_both_ways_and_a_receive_waits_for_them()
    {
        var buffer = new byte[64];
        var receiving = Socket.ReceiveAsync(buffer, CancellationToken.None).AsTask();
        Assert.False(receiving.IsCompleted);

        await Peer.SendAsync("hello"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.Equal(5, await receiving.WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Equal("hello"u8.ToArray(), buffer[..5]);

        await Socket.SendAsync("world"u8.ToArray(), CancellationToken.None);
        var got = new byte[5];
        Assert.Equal(5, await Peer.ReceiveAsync(got, TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Equal("world"u8.ToArray(), got);
    }

    [Fact]
    public async Task A_zero_byte_receive_waits_for_data_without_taking_it()
    {
        var buffer = new byte[16];
        Assert.Equal(0, await Socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None));
        Assert.Equal(-1, TryNothing(buffer));

        // Known drained now: the zero-byte wait only completes once bytes come.
        var waiting = Socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        await Peer.SendAsync("abc"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.Equal(0, await waiting.WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Equal(3, await Socket.ReceiveAsync(buffer, CancellationToken.None));
    }

    [Fact]
    public async Task The_peer_closing_ends_the_stream_and_a_waiting_receive_sees_it()
    {
        var receiving = Socket.ReceiveAsync(new byte[16], CancellationToken.None).AsTask();
        Peer.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await receiving.WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.True(Socket.PeerClosed(out _));
    }

    [Fact]
    public async Task An_end_that_came_with_the_last_bytes_is_seen_after_they_are_read()
    {
        // One edge carries both the bytes and the FIN: the short read must not be taken for "wait for the next edge".
        var buffer = new byte[64];
        Assert.Equal(-1, TryNothing(buffer));
        await Peer.SendAsync("last"u8.ToArray(), TestContext.Current.CancellationToken);
        Peer.Shutdown(SocketShutdown.Send);

        // The loop has counted the FIN's edge before the first read below: that read is short, and no edge will follow.
        await WaitUntil(() => Socket.PeerEnded);

        Assert.Equal(4, await Socket.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Equal(0, await Socket.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Urgent_data_that_stops_a_read_at_its_mark_does_not_stall_the_bytes_behind_it()
    {
        var buffer = new byte[64];
        Assert.Equal(-1, TryNothing(buffer));
        await Peer.SendAsync("ab"u8.ToArray(), TestContext.Current.CancellationToken);
        await Peer.SendAsync("!"u8.ToArray(), SocketFlags.OutOfBand, TestContext.Current.CancellationToken);
        await Peer.SendAsync("cd"u8.ToArray(), TestContext.Current.CancellationToken);
        await WaitUntil(() => Socket.PeerEnded); // the urgent byte's edge is counted before the first read

        var received = "";
        while (!received.EndsWith("cd", StringComparison.Ordinal))
        {
            var n = await Socket.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
            Assert.NotEqual(0, n);
            received += System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }

        Assert.Equal("abcd", received);
    }

    [Fact]
    public async Task An_idle_socket_looks_open_and_one_the_peer_wrote_to_says_so()
    {
        Assert.False(Socket.PeerClosed(out var waiting));
        Assert.False(waiting);

        await Peer.SendAsync("x"u8.ToArray(), TestContext.Current.CancellationToken);
        await WaitUntil(() => Socket.PeerClosed(out var w) || w);
        Assert.False(Socket.PeerClosed(out waiting));
        Assert.True(waiting);
    }

    [Fact]
    public async Task A_cancelled_receive_throws_and_the_socket_still_receives_afterwards()
    {
        using var cancel = new CancellationTokenSource();
        var buffer = new byte[16];
        var receiving = Socket.ReceiveAsync(buffer, cancel.Token).AsTask();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receiving.WaitAsync(Bound, TestContext.Current.CancellationToken));

        await Peer.SendAsync("after"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.Equal(5, await Socket.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Disposing_the_socket_fails_a_waiting_receive_instead_of_leaving_it_hanging()
    {
        var receiving = Socket.ReceiveAsync(new byte[16], CancellationToken.None).AsTask();
        Socket.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => receiving.WaitAsync(Bound, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Megabytes_sent_to_a_slow_reader_arrive_whole_and_in_order()
    {
        // More than the kernel's buffers hold: sends wait for room, and a gathered send spans many segments.
        var data = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(data);
        var segments = ByteSequences.Split(data, [.. Enumerable.Range(1, data.Length / 3000).Select(i => i * 3000)]);
        var sending = Socket.SendAsync(segments, CancellationToken.None).AsTask();
        var received = new byte[data.Length];
        var total = 0;
        while (total < data.Length)
        {
            if (total < 1024 * 1024)
            {
                await Task.Delay(1, TestContext.Current.CancellationToken);
            }

            total += await Peer.ReceiveAsync(received.AsMemory(total, Math.Min(16 * 1024, data.Length - total)), TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
        }

        await sending.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task Megabytes_received_in_small_reads_arrive_whole_and_in_order()
    {
        var data = new byte[4 * 1024 * 1024];
        new Random(8).NextBytes(data);
        var sending = Peer.SendAsync(data, TestContext.Current.CancellationToken).AsTask();
        var received = new byte[data.Length];
        var total = 0;
        while (total < data.Length)
        {
            var n = await Socket.ReceiveAsync(received.AsMemory(total, Math.Min(1000, data.Length - total)), CancellationToken.None).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
            Assert.NotEqual(0, n);
            total += n;
        }

        await sending.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task A_reset_connection_fails_the_stream_as_NetworkStream_does()
    {
        using var stream = new EpollStream(Socket);
        Peer.LingerState = new LingerOption(true, 0);
        Peer.Close();

        var ex = await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (await stream.ReadAsync(new byte[16], TestContext.Current.CancellationToken) > 0)
            {
            }

            throw new InvalidOperationException("the reset was read as the end of the stream");
        });
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(ex.InnerException).SocketErrorCode);
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_is_refused()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = (IPEndPoint)probe.LocalEndPoint!;
        using var socket = EpollSocket.Create(AddressFamily.InterNetwork, EpollEngine.Shared.Next());

        var ex = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(closed, CancellationToken.None).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
    }

    private int TryNothing(byte[] buffer)
    {
        var pending = Socket.ReceiveAsync(buffer, new CancellationToken(canceled: true));
        try
        {
            return pending.IsCompletedSuccessfully ? pending.Result : -1;
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
