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
/// or <see cref="TcpRelay.Close"/> (idle, drained, shutdown), closes both.
/// </summary>
internal sealed class TcpConnection(Socket client, Socket pod, string listener, L4RouteState route, Destination destination, L4Metrics.EndpointMetrics metrics, TimeSpan idleTimeout, TimeSpan drainTimeout, long now)
    : TcpRelay(pod, listener, route, destination, metrics, idleTimeout, drainTimeout, now)
{
    protected override Task FromClientAsync() => CopyAsync(client, Pod, fromClient: true);

    protected override Task FromPodAsync() => CopyAsync(Pod, client, fromClient: false);

    protected override void AbortClient() => client.Dispose();

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
}
