using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace OneHop.Core.Proxy.Connections;

/// <summary>
/// The PROXY protocol header (HAProxy's spec, versions 1 and 2): the original client and destination addresses
/// that a load balancer or firewall in front passes on. Parsing is pure and works on a byte sequence.
/// </summary>
internal readonly record struct ProxyHeader(IPEndPoint? Source, IPEndPoint? Destination, int Length)
{
    public const int MaxV1Length = 107;

    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
    private static readonly byte[] V1Prefix = "PROXY "u8.ToArray();

    /// <summary>Whether the bytes so far begin (or may begin, when too few) with a PROXY header.</summary>
    public static bool? StartsWithHeader(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[V2Signature.Length];
        var count = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, count).CopyTo(head);
        head = head[..count];
        var v1 = head[..Math.Min(count, V1Prefix.Length)].SequenceEqual(V1Prefix.AsSpan(0, Math.Min(count, V1Prefix.Length)));
        var v2 = head.SequenceEqual(V2Signature.AsSpan(0, count));
        if (!v1 && !v2)
        {
            return false;
        }

        return count >= (v2 ? V2Signature.Length : V1Prefix.Length) ? true : null;
    }

    /// <summary>
    /// Parses a complete header at the start of <paramref name="buffer"/>. Never throws on what a peer sends: a
    /// malformed header is <see cref="ProxyHeaderStatus.Malformed"/> with the reason in <paramref name="error"/>. A header
    /// without addresses (UNKNOWN, LOCAL) has null ones.
    /// </summary>
    public static ProxyHeaderStatus TryParse(ReadOnlySequence<byte> buffer, out ProxyHeader header, out string? error)
    {
        header = default;
        error = buffer.Length >= V2Signature.Length && StartsWithV2(buffer) ? TryParseV2(buffer, ref header) : TryParseV1(buffer, ref header);
        return error is not null ? ProxyHeaderStatus.Malformed : header.Length > 0 ? ProxyHeaderStatus.Complete : ProxyHeaderStatus.Incomplete;
    }

    private static bool StartsWithV2(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[V2Signature.Length];
        buffer.Slice(0, V2Signature.Length).CopyTo(head);
        return head.SequenceEqual(V2Signature);
    }

    /// <summary>Parses a v1 header into <paramref name="header"/> (left empty when more bytes are needed); returns the error, if any.</summary>
    private static string? TryParseV1(ReadOnlySequence<byte> buffer, ref ProxyHeader header)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
        {
            return buffer.Length >= MaxV1Length ? "PROXY v1 header longer than 107 bytes" : null;
        }

        if (line.Length > MaxV1Length)
        {
            return "PROXY v1 header longer than 107 bytes";
        }

        var text = Encoding.ASCII.GetString(line);
        var length = (int)reader.Consumed;
        var parts = text.Split(' ');
        if (parts is ["PROXY", "UNKNOWN", ..])
        {
            header = new ProxyHeader(null, null, length);
            return null;
        }

        if (parts is not ["PROXY", "TCP4" or "TCP6", var source, var destination, var sourcePort, var destinationPort]
            || !IPAddress.TryParse(source, out var sourceIp) || !IPAddress.TryParse(destination, out var destinationIp)
            || !ushort.TryParse(sourcePort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sp)
            || !ushort.TryParse(destinationPort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var dp))
        {
            return $"malformed PROXY v1 header '{Printable(text)}'";
        }

        header = new ProxyHeader(new IPEndPoint(sourceIp, sp), new IPEndPoint(destinationIp, dp), length);
        return null;
    }

    /// <summary>The header as a log line may show it: control characters from a peer become '?'.</summary>
    private static string Printable(string text) => string.Create(text.Length, text, (span, t) =>
    {
        for (var i = 0; i < t.Length; i++)
        {
            span[i] = char.IsControl(t[i]) ? '?' : t[i];
        }
    });

    /// <summary>Parses a v2 header into <paramref name="header"/> (left empty when more bytes are needed); returns the error, if any.</summary>
    private static string? TryParseV2(ReadOnlySequence<byte> buffer, ref ProxyHeader header)
    {
        if (buffer.Length < 16)
        {
            return null;
        }

        Span<byte> fixedPart = stackalloc byte[16];
        buffer.Slice(0, 16).CopyTo(fixedPart);
        var version = fixedPart[12] >> 4;
        var command = fixedPart[12] & 0x0F;
        var family = fixedPart[13];
        var addressLength = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[14..]);
        if (version != 2 || command > 1)
        {
            return "PROXY v2 header with an unknown version or command";
        }

        var total = 16 + addressLength;
        if (buffer.Length < total)
        {
            return null;
        }

        var addresses = new byte[addressLength];
        buffer.Slice(16, addressLength).CopyTo(addresses);
        if (command == 0)
        {
            // LOCAL: the proxy's own connection (a health check); the real endpoints stand.
            header = new ProxyHeader(null, null, total);
            return null;
        }

        ProxyHeader? parsed = (family >> 4) switch
        {
            1 when addressLength >= 12 => new ProxyHeader(
                new IPEndPoint(new IPAddress(addresses.AsSpan(0, 4)), BinaryPrimitives.ReadUInt16BigEndian(addresses.AsSpan(8))),
                new IPEndPoint(new IPAddress(addresses.AsSpan(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(addresses.AsSpan(10))),
                total),
            2 when addressLength >= 36 => new ProxyHeader(
                new IPEndPoint(new IPAddress(addresses.AsSpan(0, 16)), BinaryPrimitives.ReadUInt16BigEndian(addresses.AsSpan(32))),
                new IPEndPoint(new IPAddress(addresses.AsSpan(16, 16)), BinaryPrimitives.ReadUInt16BigEndian(addresses.AsSpan(34))),
                total),
            0 => new ProxyHeader(null, null, total),
            _ => null,
        };
        if (parsed is not { } ok)
        {
            return "PROXY v2 header with an unsupported address family or a short address block";
        }

        header = ok;
        return null;
    }
}
