using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.Connections;

/// <summary>
/// Writes the PROXY protocol header (HAProxy's spec) that tells a pod who the client is: v1 text or v2 binary, for
/// TCP over IPv4 or IPv6. An IPv4 client seen on a dual-stack socket is written as IPv4; when the two addresses
/// are of different families both are written as IPv6. Without addresses, v1 says UNKNOWN and v2 sends LOCAL.
/// </summary>
internal static class ProxyHeaderWriter
{
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static byte[] Write(ProxyProtocolVersion version, IPEndPoint? source, IPEndPoint? destination) =>
        version == ProxyProtocolVersion.V1 ? V1(source, destination) : V2(source, destination);

    private static byte[] V1(IPEndPoint? source, IPEndPoint? destination)
    {
        if (Addresses(source, destination) is not var (from, to))
        {
            return "PROXY UNKNOWN\r\n"u8.ToArray();
        }

        var family = from.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6";
        return Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"PROXY {family} {from} {to} {source!.Port} {destination!.Port}\r\n"));
    }

    private static byte[] V2(IPEndPoint? source, IPEndPoint? destination)
    {
        if (Addresses(source, destination) is not var (from, to))
        {
            // LOCAL: the receiver uses the connection's own addresses.
            return [.. V2Signature, 0x20, 0x00, 0x00, 0x00];
        }

        var v4 = from.AddressFamily == AddressFamily.InterNetwork;
        var size = v4 ? 4 : 16;
        var header = new byte[16 + (2 * size) + 4];
        V2Signature.CopyTo(header, 0);
        header[12] = 0x21; // version 2, PROXY
        header[13] = v4 ? (byte)0x11 : (byte)0x21; // TCP over IPv4 / IPv6
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)((2 * size) + 4));
        from.TryWriteBytes(header.AsSpan(16, size), out _);
        to.TryWriteBytes(header.AsSpan(16 + size, size), out _);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(16 + (2 * size)), (ushort)source!.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18 + (2 * size)), (ushort)destination!.Port);
        return header;
    }

    /// <summary>The two addresses in one family, or null when either is unknown.</summary>
    private static (IPAddress From, IPAddress To)? Addresses(IPEndPoint? source, IPEndPoint? destination)
    {
        if (source is null || destination is null)
        {
            return null;
        }

        var from = Plain(source.Address);
        var to = Plain(destination.Address);
        return from.AddressFamily == to.AddressFamily ? (from, to) : (from.MapToIPv6(), to.MapToIPv6());
    }

    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
