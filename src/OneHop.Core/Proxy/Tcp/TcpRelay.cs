using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// A client's connection spliced to a pod's socket, whatever carries the client side: a socket of a tcp or
/// tls-passthrough listener (<see cref="TcpConnection"/>) or a Kestrel connection of an HTTPS listener whose SNI is
/// passed through (<see cref="KestrelTcpConnection"/>). <see cref="TcpConnectionHandler"/> accounts for both alike.
/// </summary>
internal abstract class TcpRelay(Socket pod, string listener, L4RouteState route, Destination destination, L4Metrics.EndpointMetrics metrics, TimeSpan idleTimeout, TimeSpan drainTimeout, long now)
    : L4Connection(listener, route, destination, metrics, idleTimeout, drainTimeout, now)
{
    /// <summary>32 KiB per direction: few system calls per megabyte without holding much per idle connection.</summary>
    protected const int BufferSize = 32 * 1024;

    private int _closed;
    private int _ended;

    public Socket Pod => pod;

    /// <summary>The capped backend's queue whose slot the connection holds until it closes; null when uncapped.</summary>
    public BackendQueue? Slot { get; init; }

    public override string Protocol => ServerName is null ? "tcp" : "tls-passthrough";

    /// <summary>Copies until both directions have ended; both sides are closed when it returns.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync()
    {
        try
        {
            // One loop awaited after the other rather than Task.WhenAll: no combining task per connection. Each loop
            // ends on its own (its side's FIN, or a failure that closes both sides), so the order does not matter.
            var fromClient = FromClientAsync();
            await FromPodAsync().ConfigureAwait(false);
            await fromClient.ConfigureAwait(false);
        }
        finally
        {
            Abort();
        }
    }

    public override void Close(L4CloseReason reason)
    {
        ClosedBy ??= reason;
        Abort();
    }

    /// <summary>Writes bytes already read from the client (a PROXY header, a ClientHello) before the copy starts.</summary>
    public static async Task SendAsync(Socket to, ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await to.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Closes both sides; both copy loops then end.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            AbortClient();
            pod.Dispose();
        }
    }

    /// <summary>A read that did not fill the buffer drained the side for now: the buffer goes back before the next wait.</summary>
    protected static byte[]? ReturnIfDrained(byte[] buffer, int read)
    {
        if (read < buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }

        return buffer;
    }

    /// <summary>Notes that one direction has ended (its sender's FIN read); true when the other had already ended.</summary>
    protected bool EndDirection() => Interlocked.Increment(ref _ended) == 2;

    /// <summary>Copies the client's bytes to <see cref="Pod"/> until the client ends its sending or either side fails.</summary>
    protected abstract ValueTask FromClientAsync();

    /// <summary>Copies the pod's bytes to the client until the pod ends its sending or either side fails.</summary>
    protected abstract ValueTask FromPodAsync();

    protected abstract void AbortClient();
}
