using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// A client connection accepted by <see cref="EpollListener"/>, as Kestrel sees a transport connection: a pipe each way
/// between the socket and Kestrel, moved by a receive loop and a send loop that run on the socket's epoll thread (with
/// inline I/O Kestrel's side runs there too, as Kestrel's socket transport with <c>UnsafePreferInlineScheduling</c>). Lifetime as
/// Kestrel's <c>SocketConnection</c>: the end of the client's stream fires <see cref="ConnectionClosed"/>; an abort or
/// the end of the send loop shuts the socket down; <see cref="DisposeAsync"/> waits for both loops.
/// </summary>
internal sealed class EpollConnection : ConnectionContext, IMemoryPoolFeature, IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature
{
    /// <summary>Kestrel's default MaxRequestBufferSize and MaxResponseBufferSize: the pipes' back-pressure thresholds.</summary>
    private const long InputPause = 1024 * 1024;
    private const long OutputPause = 64 * 1024;
    private const int ReceiveSize = 4096;

    private static long _lastId;
    private readonly EpollSocket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly CancellationTokenSource _closed = new();
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private volatile ConnectionAbortedException? _abortReason;
    private int _shutDown;
    private string? _id;

    /// <param name="application">Where Kestrel's side of the pipes continues: inline on the loop thread (<c>--inline-io</c>, the default) or the thread pool.</param>
    public EpollConnection(EpollSocket socket, MemoryPool<byte> pool, PipeScheduler application, EndPoint? local, EndPoint? remote)
    {
        _socket = socket;
        MemoryPool = pool;
        LocalEndPoint = local;
        RemoteEndPoint = remote;
        _input = new Pipe(new PipeOptions(pool, application, PipeScheduler.Inline, InputPause, InputPause / 2, ReceiveSize, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(pool, PipeScheduler.Inline, application, OutputPause, OutputPause / 2, ReceiveSize, useSynchronizationContext: false));
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        ConnectionClosed = _closed.Token;
        Features.Set<IMemoryPoolFeature>(this);
        Features.Set<IConnectionIdFeature>(this);
        Features.Set<IConnectionTransportFeature>(this);
        Features.Set<IConnectionItemsFeature>(this);
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionEndPointFeature>(this);
    }

    /// <summary>
    /// Kestrel's pool of pinned 4 KiB blocks, which its HTTP/1.1 output relies on (it rents with no size and expects a
    /// block); the pipes' buffers come from it too.
    /// </summary>
    public MemoryPool<byte> MemoryPool { get; }

    public override string ConnectionId
    {
        get => _id ??= $"E{Interlocked.Increment(ref _lastId):X8}";
        set => _id = value;
    }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public void Start()
    {
        _receiving = ReceiveAsync();
        _sending = SendAsync();
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _abortReason = abortReason;

        // The send loop stops without sending what is buffered; the receive loop finds the socket shut.
        _output.Reader.CancelPendingRead();
        Shutdown();
    }

    public override async ValueTask DisposeAsync()
    {
        _input.Reader.Complete();
        _output.Writer.Complete();
        try
        {
            await _receiving;
            await _sending;
        }
        finally
        {
            _socket.Dispose();
            _closed.Dispose();
            await base.DisposeAsync();
        }
    }

    private async Task ReceiveAsync()
    {
        Exception? error = null;
        var input = _input.Writer;
        try
        {
            while (true)
            {
                // No buffer while the client is silent: the wait takes no system call once the socket is known drained.
                await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                var received = await _socket.ReceiveAsync(input.GetMemory(ReceiveSize), CancellationToken.None);
                if (received == 0)
                {
                    break;
                }

                input.Advance(received);
                var flush = await input.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset)
        {
            error = new ConnectionResetException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            error = _abortReason ?? new ConnectionAbortedException(ex.Message, ex);
        }
        finally
        {
            input.Complete(_abortReason ?? error);

            // On the loop thread, not handed to the thread pool as Kestrel's socket transport does: that hand-off was one
            // of the ~2 thread-pool items per connection that cost short connections and TLS handshakes a worker's
            // wake-up and spin (bench/PROFILE.md, "New connections and the thread pool"). What listens here is short:
            // Kestrel's connection ends its request processing, and hands RequestAborted (application code) to the
            // thread pool itself; OneHop's PROXY-protocol and passthrough preambles cancel a pending read.
            CancelClosed();
        }
    }

    private async Task SendAsync()
    {
        Exception? error = null;
        var output = _output.Reader;
        try
        {
            while (true)
            {
                var result = await output.ReadAsync();
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    await _socket.SendAsync(buffer, CancellationToken.None);
                }

                output.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            error = ex;
        }
        finally
        {
            Shutdown();
            output.Complete(_abortReason ?? (error is null ? null : new ConnectionAbortedException(error.Message, error)));

            // A receive loop waiting for room in the input pipe would never see the socket's end.
            _input.Writer.CancelPendingFlush();
        }
    }

    /// <summary>Both directions shut, once: the client sees the end, and a waiting receive wakes.</summary>
    private void Shutdown()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void CancelClosed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
