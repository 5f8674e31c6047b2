using System.Buffers.Binary;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// Reads the server name (SNI) of a TLS ClientHello without terminating TLS, for passthrough routing. Strict and
/// bounded: handshake records (type 22, version 3.x, 1..16384 bytes each) carrying exactly one ClientHello of at most
/// <see cref="MaxHandshake"/> bytes, every length field consistent with what contains it (RFC 8446 §4.1.2, RFC 6066
/// §3), no extension twice, at most one host_name, a host name of letters, digits, '-', '_' and dots. Anything else
/// is malformed, so a connection is routed only by a name OneHop parsed exactly. Never throws, never reads past the
/// bytes it is given.
/// </summary>
internal static class ClientHello
{
    /// <summary>The largest ClientHello taken (post-quantum key shares make them ~1.8 KB; 16 KiB leaves room for PSKs).</summary>
    public const int MaxHandshake = 16 * 1024;

    /// <summary>The most bytes a ClientHello may arrive in: its records' headers included.</summary>
    public const int MaxBytes = MaxHandshake + (5 * 8);

    private const int RecordHeader = 5;
    private const int MaxRecord = 16 * 1024;
    private const byte HandshakeRecord = 22;
    private const byte ClientHelloType = 1;
    private const ushort ServerNameExtension = 0;

    /// <summary>Reads a ClientHello at the start of <paramref name="bytes"/>.</summary>
    /// <param name="serverName">The SNI host name, lowercase and without a trailing dot; null when the client sent none.</param>
    /// <param name="length">The bytes of the records that carry it, when complete.</param>
    /// <param name="error">Why it is malformed.</param>
    public static ClientHelloStatus TryRead(ReadOnlySpan<byte> bytes, out string? serverName, out int length, out string? error)
    {
        serverName = null;
        length = 0;

        // First walk the records to learn where the handshake message ends; copy only when it spans several records.
        var offset = 0;
        var collected = 0;
        var needed = -1;
        var records = 0;
        Span<byte> header = stackalloc byte[4];
        while (needed < 0 || collected < needed)
        {
            var rest = bytes[offset..];
            if (rest.Length < RecordHeader)
            {
                error = rest.Length > 0 && rest[0] != HandshakeRecord ? "not a TLS handshake record"
                    : rest.Length > 1 && rest[1] != 3 ? "not TLS record version 3.x"
                    : null;
                return error is null ? ClientHelloStatus.Incomplete : ClientHelloStatus.Malformed;
            }

            var size = BinaryPrimitives.ReadUInt16BigEndian(rest[3..]);
            error = rest[0] != HandshakeRecord ? "not a TLS handshake record"
                : rest[1] != 3 ? "not TLS record version 3.x"
                : size is 0 or > MaxRecord ? "TLS record length out of range"
                : offset + RecordHeader + size > MaxBytes ? "ClientHello spread over too many bytes"
                : null;
            if (error is not null)
            {
                return ClientHelloStatus.Malformed;
            }

            if (rest.Length - RecordHeader < size)
            {
                return ClientHelloStatus.Incomplete;
            }

            var fragment = rest.Slice(RecordHeader, size);
            for (var i = 0; i < fragment.Length && collected + i < 4; i++)
            {
                header[collected + i] = fragment[i];
            }

            collected += size;
            offset += RecordHeader + size;
            records++;
            if (needed < 0 && collected >= 4)
            {
                var bodyLength = (header[1] << 16) | (header[2] << 8) | header[3];
                error = header[0] != ClientHelloType ? "the first handshake message is not a ClientHello"
                    : bodyLength > MaxHandshake ? "ClientHello larger than 16 KiB"
                    : null;
                if (error is not null)
                {
                    return ClientHelloStatus.Malformed;
                }

                needed = 4 + bodyLength;
            }
        }

        if (collected > needed)
        {
            error = "bytes after the ClientHello in its handshake records";
            return ClientHelloStatus.Malformed;
        }

        ReadOnlySpan<byte> message = records == 1 ? bytes.Slice(RecordHeader, needed) : Assemble(bytes[..offset], needed);
        error = ParseBody(message[4..], out serverName);
        if (error is not null)
        {
            serverName = null;
            return ClientHelloStatus.Malformed;
        }

        length = offset;
        return ClientHelloStatus.Complete;
    }

    /// <summary>The handshake message carried by the (already checked) records of <paramref name="records"/>.</summary>
    private static byte[] Assemble(ReadOnlySpan<byte> records, int length)
    {
        var message = new byte[length];
        var written = 0;
        while (!records.IsEmpty)
        {
            var size = BinaryPrimitives.ReadUInt16BigEndian(records[3..]);
            records.Slice(RecordHeader, size).CopyTo(message.AsSpan(written));
            written += size;
            records = records[(RecordHeader + size)..];
        }

        return message;
    }

    /// <summary>The ClientHello's body after its 4-byte header; returns the error, if any.</summary>
    private static string? ParseBody(ReadOnlySpan<byte> body, out string? serverName)
    {
        serverName = null;
        var reader = new Reader(body);
        if (!reader.Skip(2 + 32))
        {
            return "ClientHello cut short before its random";
        }

        if (body[0] != 3)
        {
            return "ClientHello legacy_version is not 3.x";
        }

        if (!reader.Vector8(out var sessionId) || sessionId.Length > 32)
        {
            return "bad legacy_session_id";
        }

        if (!reader.Vector16(out var suites) || suites.Length < 2 || suites.Length % 2 != 0)
        {
            return "bad cipher_suites";
        }

        if (!reader.Vector8(out var compression) || compression.Length < 1)
        {
            return "bad legacy_compression_methods";
        }

        if (reader.Remaining == 0)
        {
            return null;
        }

        if (!reader.Vector16(out var extensions) || reader.Remaining != 0)
        {
            return "extensions do not fill the ClientHello exactly";
        }

        var seen = new HashSet<ushort>();
        var list = new Reader(extensions);
        while (list.Remaining > 0)
        {
            if (!list.UInt16(out var type) || !list.Vector16(out var data))
            {
                return "an extension runs past the extensions block";
            }

            if (!seen.Add(type))
            {
                return $"extension {type} sent twice";
            }

            if (type == ServerNameExtension && ServerName(data, out serverName) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>The server_name extension's data (RFC 6066 §3); returns the error, if any.</summary>
    private static string? ServerName(ReadOnlySpan<byte> data, out string? serverName)
    {
        serverName = null;
        var reader = new Reader(data);
        if (!reader.Vector16(out var names) || reader.Remaining != 0 || names.Length == 0)
        {
            return "server_name list does not fill its extension";
        }

        var list = new Reader(names);
        while (list.Remaining > 0)
        {
            if (!list.UInt8(out var nameType) || nameType != 0)
            {
                return "server_name of a type other than host_name";
            }

            if (!list.Vector16(out var name))
            {
                return "host_name runs past the server_name list";
            }

            if (serverName is not null)
            {
                return "more than one host_name";
            }

            serverName = HostName(name);
            if (serverName is null)
            {
                return "host_name is not a valid DNS name";
            }
        }

        return null;
    }

    /// <summary>The name lowercased without its trailing dot, or null when it is not letters, digits, '-', '_' in dot-separated labels of 1..63.</summary>
    private static string? HostName(ReadOnlySpan<byte> name)
    {
        if (name.Length > 0 && name[^1] == (byte)'.')
        {
            name = name[..^1];
        }

        if (name.Length is 0 or > 253)
        {
            return null;
        }

        var label = 0;
        Span<char> chars = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            var c = (char)name[i];
            if (c == '.')
            {
                if (label == 0)
                {
                    return null;
                }

                label = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                if (++label > 63)
                {
                    return null;
                }
            }
            else
            {
                return null;
            }

            chars[i] = char.ToLowerInvariant(c);
        }

        return label == 0 ? null : new string(chars);
    }

    /// <summary>Reads big-endian integers and length-prefixed vectors, refusing to run past its bytes.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public readonly int Remaining => _rest.Length;

        public bool Skip(int count)
        {
            if (_rest.Length < count)
            {
                return false;
            }

            _rest = _rest[count..];
            return true;
        }

        public bool UInt8(out byte value)
        {
            value = _rest.Length > 0 ? _rest[0] : (byte)0;
            return Skip(1);
        }

        public bool UInt16(out ushort value)
        {
            value = _rest.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(_rest) : (ushort)0;
            return Skip(2);
        }

        public bool Vector8(out ReadOnlySpan<byte> value) => Vector(UInt8(out var length), length, out value);

        public bool Vector16(out ReadOnlySpan<byte> value) => Vector(UInt16(out var length), length, out value);

        private bool Vector(bool hasLength, int length, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (!hasLength || _rest.Length < length)
            {
                return false;
            }

            value = _rest[..length];
            _rest = _rest[length..];
            return true;
        }
    }
}
