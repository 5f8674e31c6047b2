using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>Linux <c>sockaddr_in</c>/<c>sockaddr_in6</c> to and from <see cref="IPEndPoint"/>.</summary>
internal static class SocketAddresses
{
    /// <summary>Room for either address (<c>sizeof(struct sockaddr_in6)</c>).</summary>
    public const int MaxSize = 28;

    /// <summary>Writes <paramref name="endpoint"/> into <paramref name="buffer"/> (at least <see cref="MaxSize"/> bytes); returns its length.</summary>
    public static int Write(IPEndPoint endpoint, Span<byte> buffer)
    {
        buffer[..MaxSize].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)endpoint.Port);
        if (endpoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BitConverter.TryWriteBytes(buffer, (ushort)EpollNative.AfInet);
            endpoint.Address.TryWriteBytes(buffer[4..], out _);
            return 16;
        }

        BitConverter.TryWriteBytes(buffer, (ushort)EpollNative.AfInet6);
        endpoint.Address.TryWriteBytes(buffer[8..], out _);
        BitConverter.TryWriteBytes(buffer[24..], (uint)endpoint.Address.ScopeId);
        return MaxSize;
    }

    /// <summary>The endpoint in a <c>sockaddr</c> the kernel filled in; null for a family other than IPv4/IPv6.</summary>
    public static IPEndPoint? Read(ReadOnlySpan<byte> address)
    {
        if (address.Length < 16)
        {
            return null;
        }

        var family = BitConverter.ToUInt16(address);
        var port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
        if (family == EpollNative.AfInet)
        {
            return new IPEndPoint(new IPAddress(address.Slice(4, 4)), port);
        }

        if (family == EpollNative.AfInet6 && address.Length >= MaxSize)
        {
            return new IPEndPoint(new IPAddress(address.Slice(8, 16), BitConverter.ToUInt32(address[24..])), port);
        }

        return null;
    }
}
