using System.Net;
using System.Net.Sockets;

namespace OneHop.Core.Health;

/// <summary>The real <see cref="IConnectProbe"/>: a TCP connect, closed as soon as it is made.</summary>
internal sealed class SocketConnectProbe(TimeProvider time) : IConnectProbe
{
    public async Task<ConnectProbeResult> ConnectAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return new ConnectProbeResult(false, $"{address} is not an IP address");
        }

        using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(ip, port), linked.Token).ConfigureAwait(false);
            return new ConnectProbeResult(true, "connected");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // A RST came back: the network delivered the SYN, only nothing listens on the port (yet).
            return new ConnectProbeResult(true, "refused");
        }
        catch (SocketException ex)
        {
            return new ConnectProbeResult(false, ex.SocketErrorCode.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ConnectProbeResult(false, $"no answer within {timeout.TotalSeconds:0.###}s");
        }
    }
}
