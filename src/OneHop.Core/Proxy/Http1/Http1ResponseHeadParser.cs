using System.Buffers;
using System.Text;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// Parses a response head strictly (RFC 9112 §4, §5, §6.3): <c>HTTP/1.x SP 3DIGIT [SP reason]</c>, field lines as
/// <see cref="Http1FieldLine"/> reads them, and framing that means one thing only. Two different Content-Lengths,
/// Content-Length with Transfer-Encoding, or a transfer coding other than a single final <c>chunked</c> are
/// malformed: a proxy that picked one reading could be made to split or join responses (response smuggling), so the
/// answer is refused and the connection closed. The head is validated whole before the sink sees any of it.
/// </summary>
internal static class Http1ResponseHeadParser
{
    /// <summary>Connection options a head may name (beyond close and keep-alive) before it is refused.</summary>
    private const int MaxConnectionOptions = 16;

    /// <summary>
    /// Parses the head at the start of <paramref name="buffer"/>; on <see cref="Http1ParseStatus.Complete"/> the sink
    /// has received the status and every end-to-end field, and <paramref name="head"/> says how many bytes it took.
    /// Never reads past <paramref name="buffer"/> and never throws on what a peer sends.
    /// </summary>
    public static Http1ParseStatus TryParse<TSink>(
        in ReadOnlySequence<byte> buffer, int maxHeadBytes, int maxHeaders, ref TSink sink, out Http1ResponseHead head, out string? error)
        where TSink : IHttp1HeaderSink
    {
        head = default;
        head.ContentLength = -1;
        var window = (int)Math.Min(buffer.Length, maxHeadBytes);
        if (buffer.IsSingleSegment || buffer.FirstSpan.Length >= window)
        {
            return Parse(buffer.FirstSpan[..window], window >= maxHeadBytes, maxHeaders, ref sink, ref head, out error);
        }

        // A head split across buffer segments (a large head, or one that arrived in pieces): parsed from one copy.
        var copy = ArrayPool<byte>.Shared.Rent(window);
        try
        {
            buffer.Slice(0, window).CopyTo(copy);
            return Parse(copy.AsSpan(0, window), window >= maxHeadBytes, maxHeaders, ref sink, ref head, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static Http1ParseStatus Parse<TSink>(ReadOnlySpan<byte> data, bool full, int maxHeaders, ref TSink sink, ref Http1ResponseHead head, out string? error)
        where TSink : IHttp1HeaderSink
    {
        var end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            error = IncompleteProblem(data);
            return error is not null ? Http1ParseStatus.Malformed
                : full ? Malformed("response head larger than the limit", out error)
                : Http1ParseStatus.Incomplete;
        }

        var bytes = data[..(end + 4)];
        var lineEnd = bytes.IndexOf("\r\n"u8);
        error = StatusLine(bytes[..lineEnd], ref head, out var reason);
        if (error is not null)
        {
            return Http1ParseStatus.Malformed;
        }

        // First pass: validate every line and read the framing fields; nothing reaches the sink yet.
        Span<Range> named = stackalloc Range[MaxConnectionOptions];
        var namedCount = 0;
        var fields = bytes[(lineEnd + 2)..^2];
        while (!fields.IsEmpty)
        {
            var next = fields.IndexOf("\r\n"u8);
            var line = fields[..next];
            if (++head.HeaderCount > maxHeaders)
            {
                return Malformed("too many header fields", out error);
            }

            error = Http1FieldLine.TryRead(line, out var name, out var value);
            error ??= Framing(name, value, bytes, ref head, named, ref namedCount);
            if (error is not null)
            {
                return Http1ParseStatus.Malformed;
            }

            fields = fields[(next + 2)..];
        }

        if (head.Chunked && head.ContentLength >= 0)
        {
            return Malformed("both Content-Length and Transfer-Encoding", out error);
        }

        // Second pass: the head is valid; hand the end-to-end fields over.
        head.Length = bytes.Length;
        sink.Status(head.StatusCode, reason);
        fields = bytes[(lineEnd + 2)..^2];
        while (!fields.IsEmpty)
        {
            var next = fields.IndexOf("\r\n"u8);
            Http1FieldLine.TryRead(fields[..next], out var name, out var value);
            if (!IsHopByHop(name, head.StatusCode) && (IsUpgradeOf101(name, head.StatusCode) || !IsNamed(name, bytes, named[..namedCount])))
            {
                sink.Header(name, value);
            }

            fields = fields[(next + 2)..];
        }

        return Http1ParseStatus.Complete;
    }

    /// <summary>Fields a proxy consumes or replaces: RFC 9110 §7.6.1's and Content-Length (read into the head).</summary>
    public static bool IsHopByHop(ReadOnlySpan<byte> name, int statusCode) =>
        Ascii.EqualsIgnoreCase(name, "Connection"u8)
        || Ascii.EqualsIgnoreCase(name, "Keep-Alive"u8)
        || Ascii.EqualsIgnoreCase(name, "Proxy-Connection"u8)
        || Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8)
        || Ascii.EqualsIgnoreCase(name, "TE"u8)
        || Ascii.EqualsIgnoreCase(name, "Content-Length"u8)

        // The pod's Alt-Svc names the pod's alternatives, not the edge's (YARP drops it too).
        || Ascii.EqualsIgnoreCase(name, "Alt-Svc"u8)

        // A 101 keeps its Upgrade: it says which protocol the tunnel now speaks.
        || (statusCode != 101 && Ascii.EqualsIgnoreCase(name, "Upgrade"u8));

    /// <summary>The Upgrade field of a 101, kept though its Connection names it.</summary>
    private static bool IsUpgradeOf101(ReadOnlySpan<byte> name, int statusCode) => statusCode == 101 && Ascii.EqualsIgnoreCase(name, "Upgrade"u8);

    private static string? StatusLine(ReadOnlySpan<byte> line, ref Http1ResponseHead head, out ReadOnlySpan<byte> reason)
    {
        reason = default;

        // HTTP/1.x SP 3DIGIT, then nothing or SP reason-phrase (an empty phrase is common, the space less so).
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != ' ')
        {
            return "invalid status line";
        }

        var code = line.Slice(9, 3);
        if (!char.IsAsciiDigit((char)code[0]) || !char.IsAsciiDigit((char)code[1]) || !char.IsAsciiDigit((char)code[2]))
        {
            return "invalid status code";
        }

        head.VersionMinor = line[7] == '0' ? 0 : 1;
        head.StatusCode = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        if (head.StatusCode is < 100 or > 599)
        {
            return "status code out of range";
        }

        if (line.Length > 12)
        {
            if (line[12] != ' ')
            {
                return "invalid status line";
            }

            reason = line[13..];
            if (!Http1Syntax.IsValue(reason))
            {
                return "control byte in the reason phrase";
            }
        }

        return null;
    }

    /// <summary>Reads Content-Length, Transfer-Encoding and Connection; returns why they are ambiguous, or null.</summary>
    private static string? Framing(
        ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ReadOnlySpan<byte> bytes, ref Http1ResponseHead head, Span<Range> named, ref int namedCount)
    {
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            // RFC 9110 §8.6: a list of one value repeated is that value; anything else is ambiguous.
            var list = value;
            var any = false;
            while (Http1Syntax.NextElement(ref list, out var element))
            {
                if (!Http1Syntax.TryParseDecimal(element, out var length))
                {
                    return "invalid Content-Length";
                }

                if (head.ContentLength >= 0 && head.ContentLength != length)
                {
                    return "two different Content-Lengths";
                }

                head.ContentLength = length;
                any = true;
            }

            return any ? null : "invalid Content-Length";
        }

        if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            // Only "chunked", once: anything before it would be a coding OneHop does not decode, anything after it
            // leaves the length to the connection's close, and a repeat is chunked twice.
            var list = value;
            var any = false;
            while (Http1Syntax.NextElement(ref list, out var element))
            {
                if (!Ascii.EqualsIgnoreCase(element, "chunked"u8))
                {
                    return "transfer coding other than a final chunked";
                }

                if (head.Chunked)
                {
                    return "chunked applied twice";
                }

                head.Chunked = true;
                any = true;
            }

            return any ? null : "empty Transfer-Encoding";
        }

        if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            var list = value;
            while (Http1Syntax.NextElement(ref list, out var option))
            {
                if (!Http1Syntax.IsToken(option))
                {
                    return "invalid Connection option";
                }

                if (Ascii.EqualsIgnoreCase(option, "close"u8))
                {
                    head.Close = true;
                }
                else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8))
                {
                    head.KeepAlive = true;
                }
                else if (namedCount == named.Length)
                {
                    return "too many Connection options";
                }
                else
                {
                    // Where the option lies in the head, to drop the field it names in the second pass.
                    bytes.Overlaps(option, out var start);
                    named[namedCount++] = new Range(start, start + option.Length);
                }
            }
        }

        return null;
    }

    private static bool IsNamed(ReadOnlySpan<byte> name, ReadOnlySpan<byte> head, ReadOnlySpan<Range> named)
    {
        foreach (var range in named)
        {
            if (Ascii.EqualsIgnoreCase(name, head[range]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Why an unfinished head is already invalid (a bare CR or LF, NUL, or a start that is not a status line), so a
    /// pod answering with a bare-LF head is refused as malformed rather than waited on until it closes.
    /// </summary>
    private static string? IncompleteProblem(ReadOnlySpan<byte> data)
    {
        var prefix = Math.Min(data.Length, 7);
        if (!data[..prefix].SequenceEqual("HTTP/1."u8[..prefix]))
        {
            return "invalid status line";
        }

        if (data.Contains((byte)0))
        {
            return "NUL in the response head";
        }

        for (var i = data.IndexOfAny((byte)'\r', (byte)'\n'); i >= 0; i = Next(data, i + 1))
        {
            if (data[i] == '\n' ? i == 0 || data[i - 1] != '\r' : i + 1 < data.Length && data[i + 1] != '\n')
            {
                return "bare CR or LF in the response head";
            }
        }

        return null;

        static int Next(ReadOnlySpan<byte> data, int from)
        {
            var next = data[from..].IndexOfAny((byte)'\r', (byte)'\n');
            return next < 0 ? -1 : from + next;
        }
    }

    private static Http1ParseStatus Malformed(string reason, out string? error)
    {
        error = reason;
        return Http1ParseStatus.Malformed;
    }
}
