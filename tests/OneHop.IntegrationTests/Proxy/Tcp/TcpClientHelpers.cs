using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>Plain socket clients for L4 tests: connect, send, read an exact count or to the end.</summary>
internal static class TcpClientHelpers
{
    public static async Task<Socket> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint, cancellationToken);
        return socket;
    }

    public static async Task SendAsync(this Socket socket, string text, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, cancellationToken);

    /// <summary>Reads exactly <paramref name="count"/> bytes; fewer when the peer closes first.</summary>
    public static async Task<string> ReadAsync(this Socket socket, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    /// <summary>Sends a line and reads its echo: the connection works both ways.</summary>
    public static async Task<string> EchoAsync(this Socket socket, string text, CancellationToken cancellationToken)
    {
        await socket.SendAsync(text, cancellationToken);
        return await socket.ReadAsync(text.Length, cancellationToken);
    }

    /// <summary>True when the peer closed (FIN or reset) within <paramref name="within"/>.</summary>
    public static async Task<bool> ClosedWithinAsync(this Socket socket, TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            var buffer = new byte[256];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
