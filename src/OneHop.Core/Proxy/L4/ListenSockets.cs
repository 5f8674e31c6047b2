using System.Net;
using System.Net.Sockets;
using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.L4;

/// <summary>Binds an L4 listener's socket: dual-stack on <c>[::]</c>, closed again when the bind fails.</summary>
internal static class ListenSockets
{
    /// <summary>Throws <see cref="SocketException"/> when the address is taken.</summary>
    public static Socket Bind(ListenAddress address, SocketType type, ProtocolType protocol)
    {
        var endpoint = address.EndPoint;
        var socket = new Socket(endpoint.AddressFamily, type, protocol);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
