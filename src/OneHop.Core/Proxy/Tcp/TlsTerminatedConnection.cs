using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
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

    protected override async Task FromClientAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
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
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or AuthenticationException or InvalidOperationException)
        {
            Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override async Task FromPodAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
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
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or AuthenticationException or InvalidOperationException)
        {
            Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
