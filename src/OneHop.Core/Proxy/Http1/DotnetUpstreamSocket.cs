using System.Net.Sockets;

namespace OneHop.Core.Proxy.Http1;

/// <summary>An upstream connection on .NET's <see cref="Socket"/> (the default transport).</summary>
internal sealed class DotnetUpstreamSocket(Socket socket) : IUpstreamSocket
{
    public bool LooksClosed(bool tls)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && (socket.Available == 0 || !tls);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    public void Dispose() => socket.Dispose();
}
