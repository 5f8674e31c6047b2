using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// A client's TLS connection that OneHop terminated (a Gateway TLS listener in Terminate mode), spliced to a pod's plain
/// socket: the decrypted bytes go to the pod, the pod's are encrypted back. When the client ends its TLS (close_notify or
/// FIN) the pod's sending is shut down; when the pod ends its sending, OneHop sends close_notify and a FIN, and the
/// client's direction goes on until it ends too.
/// </summary>
internal sealed class TlsTerminatedConnection(SslStream client, Socket clientSocket, Socket pod, string listener, L4RouteState route, Destination destination, L4Metrics.EndpointMetrics metrics, TimeSpan idleTimeout, TimeSpan drainTimeout, long now)
    : TcpRelay(pod, listener, route, destination, metrics, idleTimeout, drainTimeout, now)
{
    public override string Protocol => "tls-terminate";

    protected override void AbortClient()
    {
        client.Dispose();
        clientSocket.Dispose();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask FromClientAsync()
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // As TcpConnection's loops: a waiting direction holds no buffer. SslStream answers a zero-byte read
                // with one on the socket and lets go of its own buffer meanwhile, so an idle connection keeps none.
                if (buffer is null)
                {
                    await client.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
                var read = await client.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                {
                    if (!EndDirection())
                    {
                        Pod.Shutdown(SocketShutdown.Send);
                    }

                    return;
                }

                await SendAsync(Pod, buffer.AsMemory(0, read)).ConfigureAwait(false);
                CarriedFromClient(read);
                buffer = ReturnIfDrained(buffer, read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or AuthenticationException or InvalidOperationException)
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask FromPodAsync()
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    await Pod.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
                var read = await Pod.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    // close_notify even when the client has ended too: it tells a clean end from a cut one.
                    await client.ShutdownAsync().ConfigureAwait(false);
                    if (!EndDirection())
                    {
                        clientSocket.Shutdown(SocketShutdown.Send);
                    }

                    return;
                }

                await client.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                CarriedFromPod(read);
                buffer = ReturnIfDrained(buffer, read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or AuthenticationException or InvalidOperationException)
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
