using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// A listening socket whose connections go to the <see cref="EpollEngine"/>'s loops in turn. The socket is made and
/// bound by .NET (<c>Socket</c>, as Kestrel's socket transport binds it: dual mode for IPv6's any address) and never
/// used asynchronously by .NET, so it stays off .NET's own epoll; accepting is <c>accept4</c> on the edge.
/// </summary>
internal sealed partial class EpollListener : EpollTarget, IConnectionListener
{
    private readonly Socket _socket;
    private readonly EpollEngine _engine;
    private readonly MemoryPool<byte> _pool;
    private readonly bool _inline;
    private readonly EpollLoop _loop;
    private readonly Readiness _accept = new();
    private readonly ReadinessAwaiter _acceptable;
    private volatile bool _unbound;

    private EpollListener(Socket socket, EpollEngine engine, MemoryPool<byte> pool, bool inline)
    {
        _inline = inline;
        _socket = socket;
        _engine = engine;
        _pool = pool;
        _acceptable = new ReadinessAwaiter(_accept);
        EndPoint = socket.LocalEndPoint!;
        _loop = engine.Next();
        _loop.Add(socket.SafeHandle, this);
    }

    public EndPoint EndPoint { get; }

    public static EpollListener Bind(IPEndPoint endpoint, EpollEngine engine, MemoryPool<byte> pool, int backlog, bool inline = true)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            socket.Listen(backlog);
            socket.Blocking = false;
            return new EpollListener(socket, engine, pool, inline);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override void OnEvents(uint events) => _accept.Signal();

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (!_unbound)
        {
            var seen = _accept.Edges;
            var (fd, errno, remote) = TryAccept();
            try
            {
                if (fd is not null)
                {
                    try
                    {
                        return Accepted(fd, remote);
                    }
                    catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                    {
                        // The connection cannot join epoll (fs.epoll.max_user_watches, memory): it is closed and the
                        // listener goes on, as Kestrel's own goes on after a failed accept.
                        fd.Dispose();
                        Log.AcceptFailed(_engine.Logger, EndPoint, ex.Message);
                        await Task.Delay(10, cancellationToken);
                        continue;
                    }
                }

                switch (AcceptSteps.StepAfter(errno))
                {
                    case AcceptStep.WaitForEdge:
                        await _acceptable.WaitAsync(seen, cancellationToken);
                        break;
                    case AcceptStep.Retry:
                        break;
                    case AcceptStep.Stop:
                        return null;
                    default:
                        Log.AcceptFailed(_engine.Logger, EndPoint, SocketErrors.Exception(errno).Message);
                        await Task.Delay(10, cancellationToken);
                        break;
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    private unsafe (FileDescriptor? Fd, int Errno, IPEndPoint? Remote) TryAccept()
    {
        var address = stackalloc byte[SocketAddresses.MaxSize];
        var length = SocketAddresses.MaxSize;
        int fd;
        try
        {
            fd = EpollNative.Accept(_socket.SafeHandle, address, &length, EpollNative.SockNonBlock | EpollNative.SockCloexec);
        }
        catch (ObjectDisposedException)
        {
            return (null, 9, null);
        }

        return fd < 0 ? (null, Marshal.GetLastPInvokeError(), null) : (new FileDescriptor(fd), 0, SocketAddresses.Read(new ReadOnlySpan<byte>(address, length)));
    }

    private unsafe EpollConnection Accepted(FileDescriptor fd, IPEndPoint? remote)
    {
        EpollSocket.SetNoDelay(fd);
        var address = stackalloc byte[SocketAddresses.MaxSize];
        var length = SocketAddresses.MaxSize;
        var local = EpollNative.GetSockName(fd, address, &length) == 0 ? SocketAddresses.Read(new ReadOnlySpan<byte>(address, length)) : null;
        var socket = new EpollSocket(fd, _engine.Next()) { ContinueOnThreadPool = !_inline };
        var connection = new EpollConnection(socket, _pool, _inline ? PipeScheduler.Inline : PipeScheduler.ThreadPool, local ?? EndPoint, remote);
        connection.Start();
        return connection;
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        if (_unbound)
        {
            return ValueTask.CompletedTask;
        }

        _unbound = true;
        _loop.Remove(Token);
        _socket.Dispose();
        _accept.Signal();
        return ValueTask.CompletedTask;
    }

    /// <summary>After the connections are done (Kestrel disposes a listener last): the pool goes too.</summary>
    public async ValueTask DisposeAsync()
    {
        await UnbindAsync();
        _pool.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(952, LogLevel.Warning, "Accepting a connection on {EndPoint} failed ({Reason}); the listener goes on")]
        public static partial void AcceptFailed(ILogger logger, EndPoint endPoint, string reason);
    }
}
