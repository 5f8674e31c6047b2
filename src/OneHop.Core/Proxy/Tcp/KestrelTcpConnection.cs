using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// A Kestrel connection of an HTTPS listener spliced to a pod's socket (ssl-passthrough): the client's bytes come
/// from the transport's pipe, starting with the ClientHello the passthrough middleware peeked and left unread; the
/// pod's are written into the pipe's own memory (no second copy). When the client ends its sending, the pod's
/// sending is shut down and its answer goes on. When the pod ends, Kestrel's transport closes the client connection
/// once the bytes are flushed: it has no half-close toward the client (TLS ends with close_notify anyway).
/// </summary>
internal sealed class KestrelTcpConnection(ConnectionContext client, Socket pod, string listener, L4RouteState route, Destination destination, L4Metrics.EndpointMetrics metrics, TimeSpan idleTimeout, TimeSpan drainTimeout, long now)
    : TcpRelay(pod, listener, route, destination, metrics, idleTimeout, drainTimeout, now)
{
    protected override void AbortClient() => client.Abort(new ConnectionAbortedException("The passed-through connection was closed."));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask FromClientAsync()
    {
        var input = client.Transport.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await SendAsync(Pod, segment).ConfigureAwait(false);
                    CarriedFromClient(segment.Length);
                }

                input.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    Pod.Shutdown(SocketShutdown.Send);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // A reset, Abort (ConnectionAbortedException is an OperationCanceledException), or a pipe already completed.
            Abort();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask FromPodAsync()
    {
        var output = client.Transport.Output;
        try
        {
            while (true)
            {
                var read = await Pod.ReceiveAsync(output.GetMemory(BufferSize), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    await output.CompleteAsync().ConfigureAwait(false);
                    return;
                }

                output.Advance(read);
                var flushed = await output.FlushAsync().ConfigureAwait(false);
                CarriedFromPod(read);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    Abort();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or OperationCanceledException or InvalidOperationException)
        {
            Abort();
        }
    }
}
