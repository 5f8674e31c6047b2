using System.Net;
using System.Net.Sockets;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Udp;

/// <summary>
/// One client address and port talking through a UDP listener: pinned to the pod picked for its first datagram, over
/// its own socket connected to that pod, so the pod's answers come back on it and go out of the listener's socket to
/// the client. Ends when closed (idle, drained, shutdown) or when the pod's port is unreachable.
/// </summary>
internal sealed class UdpSession(Socket listener, SocketAddress client, Socket pod, string name, L4RouteState route, Destination destination, L4Metrics.EndpointMetrics metrics, TimeSpan idleTimeout, TimeSpan drainTimeout, long now)
    : L4Connection(name, route, destination, metrics, idleTimeout, drainTimeout, now)
{
    /// <summary>The largest UDP payload; a pod's answer is never cut.</summary>
    private const int MaxDatagram = 65_527;

    private int _closed;
    private int _refusalCounted;

    public SocketAddress Client => client;

    /// <summary>Set when the pod's port answered "unreachable": the datagram was lost, the pod counts it as a connect error.</summary>
    public bool Refused { get; private set; }

    /// <summary>True the first time only: a refusal is counted once per session.</summary>
    public bool CountRefusal() => Refused && Interlocked.Exchange(ref _refusalCounted, 1) == 0;

    /// <summary>Sends one client datagram to the pod; false when the session is closed.</summary>
    public bool Send(ReadOnlySpan<byte> datagram)
    {
        try
        {
            pod.Send(datagram, SocketFlags.None);
            CarriedFromClient(datagram.Length);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Refused |= ex is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
            Close(L4CloseReason.Idle);
            return false;
        }
    }

    /// <summary>Relays the pod's datagrams to the client until the session closes.</summary>
    public async Task RunAsync()
    {
        var buffer = new byte[MaxDatagram];
        try
        {
            while (true)
            {
                var read = await pod.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                await listener.SendToAsync(buffer.AsMemory(0, read), SocketFlags.None, client).ConfigureAwait(false);
                CarriedFromPod(read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Refused |= ex is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
        }
        finally
        {
            Close(L4CloseReason.Idle);
        }
    }

    public override string Protocol => "udp";

    public override void Close(L4CloseReason reason)
    {
        ClosedBy ??= reason;
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            pod.Dispose();
        }
    }
}
