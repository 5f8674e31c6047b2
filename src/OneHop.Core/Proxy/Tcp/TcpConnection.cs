using System.Buffers;
using System.Net.Sockets;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// A client's TCP connection spliced to a pod's: bytes copied both ways, each direction by its own loop with its own
/// buffer. When one side ends its sending (FIN), the other side's sending is shut down and the opposite direction
/// goes on until that side ends too (half-close, as HAProxy and nginx stream do). A reset or error on either side,
/// or <see cref="Close"/> (idle, drained, shutdown), closes both.
/// </summary>
internal sealed class TcpConnection(Socket client, Socket pod, string listener, L4RouteState route, Destination destination, L4Metrics.EndpointMetrics metrics, TimeSpan idleTimeout, TimeSpan drainTimeout, long now)
    : L4Connection(listener, route, destination, metrics, idleTimeout, drainTimeout, now)
{
    /// <summary>32 KiB per direction: few system calls per megabyte without holding much per idle connection.</summary>
    private const int BufferSize = 32 * 1024;

    private int _closed;

    public L4CloseReason? ClosedBy { get; private set; }

    /// <summary>Copies until both directions have ended; the sockets are closed when it returns.</summary>
    public async Task RunAsync()
    {
        try
        {
            await Task.WhenAll(CopyAsync(client, pod, fromClient: true), CopyAsync(pod, client, fromClient: false)).ConfigureAwait(false);
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

    private async Task CopyAsync(Socket from, Socket to, bool fromClient)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await SendAsync(to, buffer.AsMemory(0, read)).ConfigureAwait(false);
                if (fromClient)
                {
                    CarriedFromClient(read);
                }
                else
                {
                    CarriedFromPod(read);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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

    /// <summary>Closes both sockets; both copy loops then end.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            client.Dispose();
            pod.Dispose();
        }
    }
}
