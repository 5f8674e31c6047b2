using System.Buffers;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// Decodes a chunked response body (RFC 9112 §7.1) strictly and incrementally: <c>1*16HEXDIG [chunk-ext] CRLF</c>,
/// exactly the announced bytes, CRLF, and after the last chunk a trailer section of valid field lines. A size with
/// a sign, a <c>0x</c>, spaces or more than 16 digits, a missing CRLF after the data, or a line longer than the limit
/// is malformed: the places where lenient decoders disagree about where a chunk ends.
/// </summary>
internal struct Http1ChunkedDecoder
{
    /// <summary>The longest chunk-size line (size and extensions) accepted.</summary>
    public const int MaxChunkLine = 4096;

    private State _state;
    private long _remaining;

    private enum State
    {
        Size,
        Data,
        DataEnd,
        Trailers,
        Done,
    }

    /// <summary>True once the last chunk and the trailer section were read.</summary>
    public readonly bool IsDone => _state == State.Done;

    /// <summary>
    /// Reads framing from the start of <paramref name="buffer"/> up to the next run of chunk data, which comes back
    /// in <paramref name="data"/> (empty when more bytes are needed first); <paramref name="consumed"/> is where the
    /// next call starts. <see cref="Http1ParseStatus.Complete"/> once the body has ended (trailers handed to the
    /// sink); <see cref="Http1ParseStatus.Incomplete"/> while it goes on. Never throws on what a peer sends.
    /// </summary>
    public Http1ParseStatus Read<TSink>(
        in ReadOnlySequence<byte> buffer, int maxTrailerBytes, int maxTrailers, ref TSink trailers,
        out ReadOnlySequence<byte> data, out SequencePosition consumed, out string? error)
        where TSink : IHttp1HeaderSink
    {
        data = default;
        error = null;
        var rest = buffer;
        while (true)
        {
            consumed = rest.Start;
            switch (_state)
            {
                case State.Size:
                    var size = SizeLine(rest, out var lineLength, out error);
                    if (size < 0)
                    {
                        return error is null ? Http1ParseStatus.Incomplete : Http1ParseStatus.Malformed;
                    }

                    rest = rest.Slice(lineLength);
                    _remaining = size;
                    _state = size == 0 ? State.Trailers : State.Data;
                    break;

                case State.Data:
                    if (rest.IsEmpty)
                    {
                        return Http1ParseStatus.Incomplete;
                    }

                    var take = Math.Min(_remaining, rest.Length);
                    data = rest.Slice(0, take);
                    consumed = data.End;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = State.DataEnd;
                    }

                    return Http1ParseStatus.Incomplete;

                case State.DataEnd:
                    if (rest.Length < 2)
                    {
                        return Http1ParseStatus.Incomplete;
                    }

                    if (!StartsWithCrLf(rest))
                    {
                        error = "chunk data not followed by CRLF";
                        return Http1ParseStatus.Malformed;
                    }

                    rest = rest.Slice(2);
                    _state = State.Size;
                    break;

                case State.Trailers:
                    var status = TrailerSection(rest, maxTrailerBytes, maxTrailers, ref trailers, out var sectionLength, out error);
                    if (status != Http1ParseStatus.Complete)
                    {
                        return status;
                    }

                    consumed = rest.GetPosition(sectionLength);
                    _state = State.Done;
                    return Http1ParseStatus.Complete;

                default:
                    return Http1ParseStatus.Complete;
            }
        }
    }

    /// <summary>The chunk size of the line at the start, and the line's length with its CRLF; -1 when incomplete or malformed.</summary>
    private static long SizeLine(in ReadOnlySequence<byte> buffer, out int lineLength, out string? error)
    {
        lineLength = 0;
        error = null;
        var window = buffer.Slice(0, Math.Min(buffer.Length, MaxChunkLine + 2));
        var lf = window.PositionOf((byte)'\n');
        if (lf is null)
        {
            if (window.Length == MaxChunkLine + 2)
            {
                error = "chunk-size line too long";
            }

            return -1;
        }

        lineLength = (int)window.Slice(0, lf.Value).Length + 1;
        var lineSequence = window.Slice(0, lineLength);
        var line = lineSequence.IsSingleSegment ? lineSequence.FirstSpan : Copy(lineSequence);
        if (line.Length < 2 || line[^2] != '\r')
        {
            error = "chunk-size line not ended by CRLF";
            return -1;
        }

        line = line[..^2];
        var hex = 0;
        while (hex < line.Length && char.IsAsciiHexDigit((char)line[hex]))
        {
            hex++;
        }

        if (hex == 0 || hex > 16)
        {
            error = "invalid chunk size";
            return -1;
        }

        var size = 0L;
        foreach (var b in line[..hex])
        {
            size = (size << 4) | (long)HexValue(b);
        }

        if (size < 0)
        {
            error = "chunk size too large";
            return -1;
        }

        if (!IsChunkExtensions(line[hex..]))
        {
            error = "invalid chunk extension";
            return -1;
        }

        return size;

        // A line split across buffer segments is rare (a read boundary inside it): a copy is fine there.
        static ReadOnlySpan<byte> Copy(in ReadOnlySequence<byte> sequence)
        {
            var bytes = new byte[sequence.Length];
            sequence.CopyTo(bytes);
            return bytes;
        }
    }

    /// <summary><c>*( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )</c>, nothing else.</summary>
    private static bool IsChunkExtensions(ReadOnlySpan<byte> ext)
    {
        while (true)
        {
            // Whitespace only before a ';' (BWS): "5 \r\n" is refused.
            if (ext.IsEmpty)
            {
                return true;
            }

            ext = ext.TrimStart(" \t"u8);
            if (ext.IsEmpty || ext[0] != ';')
            {
                return false;
            }

            ext = ext[1..].TrimStart(" \t"u8);
            var name = TokenLength(ext);
            if (name == 0)
            {
                return false;
            }

            ext = ext[name..];
            var afterName = ext.TrimStart(" \t"u8);
            if (afterName.IsEmpty || afterName[0] != '=')
            {
                continue;
            }

            ext = afterName[1..].TrimStart(" \t"u8);
            var value = ext.Length > 0 && ext[0] == '"' ? QuotedStringLength(ext) : TokenLength(ext);
            if (value == 0)
            {
                return false;
            }

            ext = ext[value..];
        }
    }

    private static int TokenLength(ReadOnlySpan<byte> text)
    {
        var end = text.IndexOfAnyExcept(Http1Syntax.TokenBytes);
        return end < 0 ? text.Length : end;
    }

    /// <summary>The length of the quoted-string at the start, quotes included; 0 when it is not one.</summary>
    private static int QuotedStringLength(ReadOnlySpan<byte> text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            var b = text[i];
            if (b == '"')
            {
                return i + 1;
            }

            if (b == '\\')
            {
                if (++i == text.Length || (text[i] < 0x20 && text[i] != '\t') || text[i] == 0x7F)
                {
                    return 0;
                }
            }
            else if ((b < 0x20 && b != '\t') || b == 0x7F)
            {
                return 0;
            }
        }

        return 0;
    }

    /// <summary>The trailer section after the last chunk: an empty line, or valid field lines and an empty line.</summary>
    private static Http1ParseStatus TrailerSection<TSink>(
        in ReadOnlySequence<byte> buffer, int maxBytes, int maxFields, ref TSink sink, out int length, out string? error)
        where TSink : IHttp1HeaderSink
    {
        length = 0;
        error = null;
        if (buffer.Length < 2)
        {
            return Http1ParseStatus.Incomplete;
        }

        if (StartsWithCrLf(buffer))
        {
            length = 2;
            return Http1ParseStatus.Complete;
        }

        var window = (int)Math.Min(buffer.Length, maxBytes);
        var bytes = ArrayPool<byte>.Shared.Rent(window);
        try
        {
            buffer.Slice(0, window).CopyTo(bytes);
            var section = bytes.AsSpan(0, window);
            var end = section.IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                error = window >= maxBytes ? "trailer section larger than the limit" : null;
                return error is null ? Http1ParseStatus.Incomplete : Http1ParseStatus.Malformed;
            }

            // Validate every line first; then hand over what may be forwarded (no framing or hop-by-hop fields).
            var lines = section[..(end + 2)];
            var count = 0;
            for (var rest = lines; !rest.IsEmpty;)
            {
                var next = rest.IndexOf("\r\n"u8);
                error = ++count > maxFields ? "too many trailer fields" : Http1FieldLine.TryRead(rest[..next], out _, out _);
                if (error is not null)
                {
                    return Http1ParseStatus.Malformed;
                }

                rest = rest[(next + 2)..];
            }

            for (var rest = lines; !rest.IsEmpty;)
            {
                var next = rest.IndexOf("\r\n"u8);
                Http1FieldLine.TryRead(rest[..next], out var name, out var value);
                if (!Http1ResponseHeadParser.IsHopByHop(name, 0))
                {
                    sink.Header(name, value);
                }

                rest = rest[(next + 2)..];
            }

            length = end + 4;
            return Http1ParseStatus.Complete;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool StartsWithCrLf(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> two = stackalloc byte[2];
        buffer.Slice(0, 2).CopyTo(two);
        return two[0] == '\r' && two[1] == '\n';
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
