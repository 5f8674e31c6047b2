using System.Net;
using System.Net.Sockets;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// Linux <c>sockaddr_in</c>/<c>sockaddr_in6</c> to and from <see cref="IPEndPoint"/>, through .NET's own
/// <see cref="SocketAddress"/>, whose buffer holds the platform's native layout.
/// </summary>
internal static class SocketAddresses
{
    /// <summary>Room for either address (<c>sizeof(struct sockaddr_in6)</c>).</summary>
    public const int MaxSize = 28;

    private static readonly IPEndPoint V4 = new(IPAddress.Any, 0);
    private static readonly IPEndPoint V6 = new(IPAddress.IPv6Any, 0);

    /// <summary>Writes <paramref name="endpoint"/> into <paramref name="buffer"/> (at least <see cref="MaxSize"/> bytes); returns its length.</summary>
    public static int Write(IPEndPoint endpoint, Span<byte> buffer)
    {
        var address = endpoint.Serialize();
        address.Buffer.Span[..address.Size].CopyTo(buffer);
        return address.Size;
    }

    /// <summary>The endpoint in a <c>sockaddr</c> the kernel filled in; null for a family other than IPv4/IPv6.</summary>
    public static IPEndPoint? Read(ReadOnlySpan<byte> native)
    {
        // The family is the first field, in the machine's byte order: AF_INET 2, AF_INET6 10.
        var (family, template) = native.Length < 16 ? default : BitConverter.ToUInt16(native) switch
        {
            EpollNative.AfInet => (AddressFamily.InterNetwork, V4),
            EpollNative.AfInet6 when native.Length >= MaxSize => (AddressFamily.InterNetworkV6, V6),
            _ => default((AddressFamily, IPEndPoint?)),
        };
        if (template is null)
        {
            return null;
        }

        var address = new SocketAddress(family, native.Length);
        native.CopyTo(address.Buffer.Span);
        return (IPEndPoint)template.Create(address);
    }
}
