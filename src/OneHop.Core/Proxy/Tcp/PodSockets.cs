using System.Net;
using System.Net.Sockets;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>A socket for an endpoint's address family and the address to connect it to (an IP, or a static upstream's name).</summary>
internal static class PodSockets
{
    public static (Socket Socket, EndPoint Target) For(BackendEndpoint endpoint, SocketType type = SocketType.Stream, ProtocolType protocol = ProtocolType.Tcp) =>
        IPAddress.TryParse(endpoint.Address, out var ip)
            ? (new Socket(ip.AddressFamily, type, protocol), new IPEndPoint(ip, endpoint.Port))
            : (new Socket(type, protocol), new DnsEndPoint(endpoint.Address, endpoint.Port));
}
