using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// A non-blocking TCP socket on an <see cref="EpollLoop"/>. A receive tries the socket only when it may hold bytes: after
/// a read that came back short, the socket is known drained until the next edge, and the next receive waits without a
/// system call (where <c>Socket</c> always tries first and fails). Sends try at once and wait for room only when the
/// kernel's buffer is full. One receive and one send may be in flight at a time, from any threads; continuations run on
/// the loop thread. Failures throw <see cref="SocketException"/>; after <see cref="Dispose"/>, <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class EpollSocket : EpollTarget, IValueTaskSource<int>, IReadinessWaiter, IDisposable
{
    private readonly EpollLoop _loop;
    private readonly Readiness _read = new();
    private readonly Readiness _write;
    private readonly ReadinessAwaiter _writable;
    private ManualResetValueTaskSourceCore<int> _receive;
    private Memory<byte> _receiveBuffer;
    private CancellationToken _receiveToken;
    private int _drainedAt = -1;
    private volatile bool _peerEnded;
    private int _disposed;

    /// <summary>A connected socket (accepted), registered with <paramref name="loop"/> at once.</summary>
    public EpollSocket(FileDescriptor fd, EpollLoop loop)
        : this(fd, loop, register: true)
    {
    }

    private EpollSocket(FileDescriptor fd, EpollLoop loop, bool register)
    {
        Fd = fd;
        _loop = loop;
        _write = new Readiness();
        _writable = new ReadinessAwaiter(_write);
        if (register)
        {
            _loop.Add(fd, this);
        }
    }

    public FileDescriptor Fd { get; }

    /// <summary>Epoll has reported the peer's end, an error or urgent data: from now on every receive tries its read.</summary>
    public bool PeerEnded => _peerEnded;

    /// <summary>
    /// Receives and sends fail with an <see cref="IOException"/> around the <see cref="SocketException"/>, as
    /// <c>NetworkStream</c>'s do (set by <see cref="EpollStream"/>), instead of the bare socket error.
    /// </summary>
    public bool StreamErrors { get; set; }

    /// <summary>
    /// A receive or send that waited continues on the thread pool instead of the loop thread (<c>--inline-io=false</c>):
    /// for request code that may block. Set before the first receive.
    /// </summary>
    public bool ContinueOnThreadPool
    {
        get => _receive.RunContinuationsAsynchronously;
        set
        {
            _receive.RunContinuationsAsynchronously = value;
            _writable.ContinueOnThreadPool = value;
        }
    }

    /// <summary>A new TCP socket of <paramref name="family"/>, Nagle off (a request head must leave at once); <see cref="ConnectAsync"/> registers it.</summary>
    public static EpollSocket Create(AddressFamily family, EpollLoop loop, bool continueOnThreadPool = false)
    {
        var raw = EpollNative.Socket(family == AddressFamily.InterNetworkV6 ? EpollNative.AfInet6 : EpollNative.AfInet, EpollNative.SockStream | EpollNative.SockNonBlock | EpollNative.SockCloexec, 0);
        if (raw < 0)
        {
            throw SocketErrors.Exception(Marshal.GetLastPInvokeError());
        }

        var fd = new FileDescriptor(raw);
        try
        {
            SetNoDelay(fd);
            return new EpollSocket(fd, loop, register: false) { ContinueOnThreadPool = continueOnThreadPool };
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    public unsafe static void SetNoDelay(FileDescriptor fd)
    {
        var on = 1;
        EpollNative.SetSockOpt(fd, EpollNative.IpProtoTcp, EpollNative.TcpNoDelay, &on, sizeof(int));
    }

    public override void OnEvents(uint events)
    {
        if ((events & (EpollNative.RdHup | EpollNative.Hup | EpollNative.Err | EpollNative.Pri)) != 0)
        {
            // Before the edge is counted: a FIN or reset that came with the last bytes gets no edge of its own, so a
            // short read no longer means "nothing until the next edge" (the next read finds the end at once). Urgent
            // data (MSG_OOB) stops a read at its mark with bytes still queued: the same, for the rest of the connection.
            _peerEnded = true;
        }

        if ((events & (EpollNative.In | EpollNative.Pri | EpollNative.RdHup | EpollNative.Hup | EpollNative.Err)) != 0)
        {
            _read.Signal();
        }

        if ((events & (EpollNative.Out | EpollNative.Hup | EpollNative.Err)) != 0)
        {
            _write.Signal();
        }
    }

    /// <summary>Connects to <paramref name="endpoint"/>; throws <see cref="SocketException"/> when refused or unreachable.</summary>
    public async ValueTask ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        // Registered once the connect is under way: a socket that has not started one polls as hung up (EPOLLHUP),
        // which would read as the peer's end.
        var seen = _write.Edges;
        var connected = StartConnect(endpoint);
        _loop.Add(Fd, this);
        if (!connected)
        {
            await _writable.WaitAsync(seen, cancellationToken);
            var error = PendingError();
            if (error != 0)
            {
                throw SocketErrors.Exception(error);
            }
        }
    }

    /// <summary>The connect's outcome once the socket is writable (SO_ERROR): 0 when connected, else the errno.</summary>
    private unsafe int PendingError()
    {
        int error = 0, length = sizeof(int);
        return EpollNative.GetSockOpt(Fd, EpollNative.SolSocket, EpollNative.SoError, &error, &length) == 0 ? error : Marshal.GetLastPInvokeError();
    }

    /// <summary>True when connected at once; false when under way (the write edge says when it is done).</summary>
    private unsafe bool StartConnect(IPEndPoint endpoint)
    {
        var address = stackalloc byte[SocketAddresses.MaxSize];
        var length = SocketAddresses.Write(endpoint, new Span<byte>(address, SocketAddresses.MaxSize));
        if (EpollNative.Connect(Fd, address, length) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == EpollNative.EInProgress ? false : throw SocketErrors.Exception(errno);
    }

    /// <summary>
    /// Reads into <paramref name="buffer"/>; 0 at the end of the stream. An empty buffer waits until the socket may be
    /// read (or has ended) without taking anything from it. A receive that waits is this socket's own reusable
    /// operation, completed on the loop thread: nothing is allocated per receive, however many sockets wait at once.
    /// </summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var seen = _read.Edges;
        if (seen != _drainedAt || _peerEnded)
        {
            if (buffer.IsEmpty)
            {
                return ValueTask.FromResult(0);
            }

            var received = TryReceive(buffer.Span, seen);
            if (received >= 0)
            {
                return ValueTask.FromResult(received);
            }
        }

        _receive.Reset();
        _receiveBuffer = buffer;
        _receiveToken = cancellationToken;
        while (!_read.TryWait(seen, this, cancellationToken))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _receiveBuffer = default;
                return ValueTask.FromCanceled<int>(cancellationToken);
            }

            seen = _read.Edges;
            var received = buffer.IsEmpty ? 0 : TryReceive(buffer.Span, seen);
            if (received >= 0)
            {
                _receiveBuffer = default;
                return ValueTask.FromResult(received);
            }
        }

        return new ValueTask<int>(this, _receive.Version);
    }

    /// <summary>The edge a waiting receive was waiting for: try again, and wait again when it still finds nothing.</summary>
    void IReadinessWaiter.OnEdge()
    {
        while (true)
        {
            var seen = _read.Edges;
            int received;
            try
            {
                received = _receiveBuffer.IsEmpty ? 0 : TryReceive(_receiveBuffer.Span, seen);
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
                _receiveBuffer = default;
                _receive.SetException(ex);
                return;
            }

            if (received >= 0)
            {
                _receiveBuffer = default;
                _receive.SetResult(received);
                return;
            }

            if (_read.TryWait(seen, this, _receiveToken))
            {
                return;
            }

            if (_receiveToken.IsCancellationRequested)
            {
                ((IReadinessWaiter)this).OnCanceled(_receiveToken);
                return;
            }
        }
    }

    void IReadinessWaiter.OnCanceled(CancellationToken token)
    {
        _receiveBuffer = default;
        _receive.SetException(new OperationCanceledException(token));
    }

    int IValueTaskSource<int>.GetResult(short token) => _receive.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _receive.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _receive.OnCompleted(continuation, state, token, flags);

    /// <summary>One <c>recv</c>: the bytes read (0 at the end), or -1 when there were none yet. Notes a drained socket.</summary>
    private unsafe int TryReceive(Span<byte> buffer, int seen)
    {
        while (true)
        {
            nint received;
            fixed (byte* p = buffer)
            {
                received = EpollNative.Recv(Fd, p, buffer.Length, 0);
            }

            if (received >= 0)
            {
                if (received < buffer.Length && received > 0)
                {
                    _drainedAt = seen;
                }

                return (int)received;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == EpollNative.EAgain)
            {
                _drainedAt = seen;
                return -1;
            }

            if (errno != EpollNative.EIntr)
            {
                throw Failure(errno);
            }
        }
    }

    /// <summary>
    /// One non-waiting look at an idle socket: true when the peer has closed it or it failed; <paramref name="bytesWaiting"/>
    /// when the peer sent something.
    /// </summary>
    public unsafe bool PeerClosed(out bool bytesWaiting)
    {
        byte one;
        var received = EpollNative.Recv(Fd, &one, 1, EpollNative.MsgPeek | EpollNative.MsgDontWait);
        bytesWaiting = received > 0;
        return received == 0 || (received < 0 && Marshal.GetLastPInvokeError() != EpollNative.EAgain);
    }

    /// <summary>Sends all of <paramref name="buffer"/>, waiting for room as often as the kernel's buffer fills.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        var seen = _write.Edges;
        var sent = TrySend(buffer.Span);
        return sent == buffer.Length ? ValueTask.CompletedTask : SendRestAsync(buffer[Math.Max(sent, 0)..], seen, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendRestAsync(ReadOnlyMemory<byte> rest, int seen, CancellationToken cancellationToken)
    {
        while (!rest.IsEmpty)
        {
            await _writable.WaitAsync(seen, cancellationToken);
            seen = _write.Edges;
            var sent = TrySend(rest.Span);
            if (sent > 0)
            {
                rest = rest[sent..];
            }
        }
    }

    /// <summary>Sends every segment of <paramref name="buffers"/> in order (one <c>sendmsg</c> for up to 16 segments at a time).</summary>
    public ValueTask SendAsync(ReadOnlySequence<byte> buffers, CancellationToken cancellationToken) =>
        buffers.IsSingleSegment ? SendAsync(buffers.First, cancellationToken) : SendGatheredAsync(buffers, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendGatheredAsync(ReadOnlySequence<byte> buffers, CancellationToken cancellationToken)
    {
        while (!buffers.IsEmpty)
        {
            var seen = _write.Edges;
            var sent = TrySendGathered(buffers);
            if (sent > 0)
            {
                buffers = buffers.Slice(sent);
            }
            else
            {
                await _writable.WaitAsync(seen, cancellationToken);
            }
        }
    }

    /// <summary>One <c>send</c>: the bytes the kernel took, or -1 when it had no room.</summary>
    private unsafe int TrySend(ReadOnlySpan<byte> buffer)
    {
        while (true)
        {
            nint sent;
            fixed (byte* p = buffer)
            {
                sent = EpollNative.Send(Fd, p, buffer.Length, EpollNative.MsgNoSignal);
            }

            if (sent >= 0)
            {
                return (int)sent;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == EpollNative.EAgain)
            {
                return -1;
            }

            if (errno != EpollNative.EIntr)
            {
                throw Failure(errno);
            }
        }
    }

    private unsafe long TrySendGathered(ReadOnlySequence<byte> buffers)
    {
        const int MaxVectors = 16;
        var vectors = stackalloc EpollNative.IoVector[MaxVectors];
        var handles = default(PinnedSegments);
        var count = 0;
        try
        {
            foreach (var segment in buffers)
            {
                if (segment.IsEmpty)
                {
                    continue;
                }

                if (count == MaxVectors)
                {
                    break;
                }

                handles[count] = segment.Pin();
                vectors[count] = new EpollNative.IoVector { Base = (byte*)handles[count].Pointer, Length = (nuint)segment.Length };
                count++;
            }

            var message = new EpollNative.MessageHeader { Vectors = vectors, VectorCount = (nuint)count };
            while (true)
            {
                var sent = EpollNative.SendMsg(Fd, &message, EpollNative.MsgNoSignal);
                if (sent >= 0)
                {
                    return sent;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EpollNative.EAgain)
                {
                    return -1;
                }

                if (errno != EpollNative.EIntr)
                {
                    throw Failure(errno);
                }
            }
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                handles[i].Dispose();
            }
        }
    }

    private Exception Failure(int errno)
    {
        var error = SocketErrors.Exception(errno);
        return StreamErrors ? new IOException($"Unable to transfer data on the transport connection: {error.Message}.", error) : error;
    }

    /// <summary>The pins of one gathered send's segments, on the stack.</summary>
    [InlineArray(16)]
    private struct PinnedSegments
    {
        private MemoryHandle _first;
    }

    /// <summary>Ends the sending direction (a FIN); reads go on.</summary>
    public void ShutdownSend() => EpollNative.Shutdown(Fd, EpollNative.ShutWrite);

    /// <summary>Ends both directions: a receive or send waiting on the loop wakes and fails.</summary>
    public void Shutdown() => EpollNative.Shutdown(Fd, EpollNative.ShutBoth);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _loop.Remove(Token);
        Fd.Dispose();

        // A waiter retries its call and finds the descriptor disposed.
        _read.Signal();
        _write.Signal();
    }
}
