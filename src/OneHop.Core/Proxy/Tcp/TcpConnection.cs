using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
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
    protected override ValueTask FromClientAsync() => CopyAsync(client, Pod, fromClient: true);

    protected override ValueTask FromPodAsync() => CopyAsync(Pod, client, fromClient: false);

    protected override void AbortClient() => client.Dispose();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CopyAsync(Socket from, Socket to, bool fromClient)
    {
        byte[]? buffer = null;
        // The client's first bytes have usually arrived with its connection (or while the pod was connected): read
        // them at once rather than wait for them first.
        var waitFirst = !fromClient;
        try
        {
            while (true)
            {
                // A zero-byte read waits for bytes without holding a buffer, so a waiting direction (every idle
                // connection, and most of a short one's life) keeps none: with a 32 KiB buffer rented per direction
                // for the connection's life, 64 concurrent new connections outran the shared pool's per-core cache
                // and each connection allocated ~9 KB of fresh arrays (bench/alloc-tcp.sh, PROFILE.md).
                if (buffer is null && waitFirst)
                {
                    await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                }

                waitFirst = true;
                buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    // When the other direction has ended too, both sockets are closed next: a shutdown first would be
                    // one more system call for the FIN that close sends anyway (nothing is left unread on either).
                    if (!EndDirection())
                    {
                        to.Shutdown(SocketShutdown.Send);
                    }

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

                buffer = ReturnIfDrained(buffer, read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Abort();
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
