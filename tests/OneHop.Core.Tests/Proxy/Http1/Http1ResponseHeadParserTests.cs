using System.Buffers;
using OneHop.Core.Proxy.Http1;

namespace OneHop.Core.Tests.Proxy.Http1;

public sealed class Http1ResponseHeadParserTests
{
    private const int MaxHead = 64 * 1024;

    /// <summary>A valid head: status, version, Content-Length, chunked, close, keep-alive.</summary>
    public static TheoryData<string, int, int, long, bool, bool, bool> Valid => new()
    {
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 200, 1, 5, false, false, false },
        { "HTTP/1.1 204 \r\n\r\n", 204, 1, -1, false, false, false },
        { "HTTP/1.1 200\r\n\r\n", 200, 1, -1, false, false, false },
        { "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", 200, 0, 0, false, false, true },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 200, 1, -1, true, false, false },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked \r\n\r\n", 200, 1, -1, true, false, false },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: , chunked\r\n\r\n", 200, 1, -1, true, false, false },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", 200, 1, 5, false, false, false },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n", 200, 1, 5, false, false, false },
        { "HTTP/1.1 200 OK\r\nContent-Length: 007\r\n\r\n", 200, 1, 7, false, false, false },
        { "HTTP/1.1 200 OK\r\nConnection: Keep-Alive, close\r\n\r\n", 200, 1, -1, false, true, true },
        { "HTTP/1.1 599 Whatever it says\r\n\r\n", 599, 1, -1, false, false, false },
        { "HTTP/1.1 100 Continue\r\n\r\n", 100, 1, -1, false, false, false },
        { "HTTP/1.2 200 OK\r\n\r\n", 200, 1, -1, false, false, false },
    };

    /// <summary>An invalid head and a phrase of the reason given.</summary>
    public static TheoryData<string, string> Malformed => new()
    {
        // Status line.
        { "HTTP/1.1 2OO OK\r\n\r\n", "invalid status code" },
        { "HTTP/2 200 OK\r\n\r\n", "invalid status line" },
        { "http/1.1 200 OK\r\n\r\n", "invalid status line" },
        { "HTTP/1.1  200 OK\r\n\r\n", "invalid status code" },
        { "HTTP/1.1 200OK\r\n\r\n", "invalid status line" },
        { "HTTP/1.1 2000 OK\r\n\r\n", "invalid status line" },
        { "HTTP/1.1 099 OK\r\n\r\n", "out of range" },
        { "HTTP/1.1 600 OK\r\n\r\n", "out of range" },
        { "HTTP/1.1 200 O\u0001K\r\n\r\n", "reason phrase" },
        { "HTTP/1.1 200 OK\rX\r\n\r\n", "reason phrase" },
        { "\u0016\u0003\u0001 this is not HTTP\r\n\r\n", "invalid status line" },

        // Field syntax.
        { "HTTP/1.1 200 OK\r\nX-A : b\r\n\r\n", "whitespace before the colon" },
        { "HTTP/1.1 200 OK\r\nX-A\t: b\r\n\r\n", "whitespace before the colon" },
        { "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\n\r\n", "obs-fold" },
        { "HTTP/1.1 200 OK\r\nX-A: b\r\n\tc\r\n\r\n", "obs-fold" },
        { "HTTP/1.1 200 OK\r\nX-A: b\rc\r\n\r\n", "control byte" },
        { "HTTP/1.1 200 OK\r\nX-A: b\nc\r\n\r\n", "control byte" },
        { "HTTP/1.1 200 OK\r\nX-A: b\u0000c\r\n\r\n", "control byte" },
        { "HTTP/1.1 200 OK\r\nX-A: \u0001\r\n\r\n", "control byte" },
        { "HTTP/1.1 200 OK\r\nX-A: \u007F\r\n\r\n", "control byte" },
        { "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "invalid field name" },
        { "HTTP/1.1 200 OK\r\nX@A: x\r\n\r\n", "invalid field name" },
        { "HTTP/1.1 200 OK\r\n: x\r\n\r\n", "empty field name" },
        { "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", "without a colon" },
        { "HTTP/1.1 200 OK\r\nX-A\nContent-Length: 0\r\n\r\n", "invalid field name" },
        { "HTTP/1.1 200 OK\r\nConnection: close, bad@token\r\n\r\n", "Connection option" },

        // Framing.
        { "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", "two different Content-Lengths" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n", "two different Content-Lengths" },
        { "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", "invalid Content-Length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\n", "invalid Content-Length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5 5\r\n\r\n", "invalid Content-Length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", "invalid Content-Length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "invalid Content-Length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "both Content-Length and Transfer-Encoding" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", "both Content-Length and Transfer-Encoding" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "other than a final chunked" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "other than a final chunked" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n", "other than a final chunked" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", "other than a final chunked" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "chunked applied twice" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "chunked applied twice" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n", "empty Transfer-Encoding" },

        // Bare line ends are refused before the head is complete, not waited on.
        { "HTTP/1.1 200 OK\nContent-Length: 0\n\n", "bare CR or LF" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n", "bare CR or LF" },
        { "HTTP/1.1 200 OK\r\nX: a\rb", "bare CR or LF" },
        { "HTTP/1.1 200 OK\r\nX: \u0000", "NUL" },
        { "HTTX", "invalid status line" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_valid_head_is_read_with_its_framing(string text, int status, int minor, long length, bool chunked, bool close, bool keepAlive)
    {
        var (result, head, error, sink) = Parse(text + "body");

        Assert.Null(error);
        Assert.Equal(Http1ParseStatus.Complete, result);
        Assert.Equal(text.Length, head.Length);
        Assert.Equal(status, head.StatusCode);
        Assert.Equal(status, sink.StatusCode);
        Assert.Equal(minor, head.VersionMinor);
        Assert.Equal(length, head.ContentLength);
        Assert.Equal(chunked, head.Chunked);
        Assert.Equal(close, head.Close);
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_head_is_refused_before_the_sink_sees_any_of_it(string text, string reason)
    {
        var (result, _, error, sink) = Parse(text);

        Assert.Equal(Http1ParseStatus.Malformed, result);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Equal(0, sink.StatusCode);
        Assert.Empty(sink.Headers);
    }

    [Theory]
    [InlineData("")]
    [InlineData("H")]
    [InlineData("HTTP/1.")]
    [InlineData("HTTP/1.1 200 OK")]
    [InlineData("HTTP/1.1 200 OK\r")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r")]
    public void An_unfinished_head_asks_for_more(string text)
    {
        var (result, _, error, sink) = Parse(text);

        Assert.Equal(Http1ParseStatus.Incomplete, result);
        Assert.Null(error);
        Assert.Equal(0, sink.StatusCode);
    }

    [Fact]
    public void Only_end_to_end_fields_reach_the_sink_with_their_bytes_as_sent()
    {
        var (result, _, _, sink) = Parse(
            "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Secret\r\nKeep-Alive: timeout=5\r\nProxy-Connection: close\r\nTE: trailers\r\n"
            + "Content-Length: 2\r\nUpgrade: h2c\r\nAlt-Svc: h3=\":443\"\r\nx-secret: hidden\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
            + "X-File:   caf\u00e9.txt \t\r\nX-Empty:\r\nProxy-Authenticate: Basic\r\n\r\n");

        Assert.Equal(Http1ParseStatus.Complete, result);
        Assert.Equal(
            [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("X-File", "caf\u00e9.txt"), ("X-Empty", string.Empty), ("Proxy-Authenticate", "Basic")],
            sink.Headers);
        Assert.Equal("OK", sink.Reason);
    }

    [Fact]
    public void A_101_keeps_its_Upgrade_field_though_Connection_names_it()
    {
        var (_, _, _, sink) = Parse("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: x\r\n\r\n");

        Assert.Equal([("Upgrade", "websocket"), ("Sec-WebSocket-Accept", "x")], sink.Headers);
    }

    [Fact]
    public void A_chunked_head_drops_its_Transfer_Encoding_for_Kestrel_to_frame_again()
    {
        var (_, head, _, sink) = Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n");

        Assert.True(head.Chunked);
        Assert.Equal([("Content-Type", "text/plain")], sink.Headers);
    }

    [Fact]
    public void Limits_on_size_and_field_count_are_malformed()
    {
        var big = "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 200) + "\r\n\r\n";
        Assert.Equal(Http1ParseStatus.Malformed, Parse(big, maxHead: 100).Status);
        Assert.Equal(Http1ParseStatus.Malformed, Parse(big[..150], maxHead: 100).Status);
        Assert.Equal(Http1ParseStatus.Complete, Parse(big, maxHead: big.Length).Status);
        Assert.Equal(Http1ParseStatus.Malformed, Parse(big, maxHead: big.Length - 1).Status);

        var many = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
        Assert.Equal(Http1ParseStatus.Complete, Parse(many, maxHeaders: 3).Status);
        var (status, _, error, _) = Parse(many, maxHeaders: 2);
        Assert.Equal(Http1ParseStatus.Malformed, status);
        Assert.Contains("too many header fields", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_head_split_anywhere_across_segments_reads_the_same()
    {
        var text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: X-A\r\nX-A: 1\r\nX-B: caf\u00e9\r\n\r\nhello";
        var bytes = ByteSequences.Latin1(text);
        var whole = Parse(text);
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var sink = new RecordingSink();
            var status = Http1ResponseHeadParser.TryParse(ByteSequences.Split(bytes, cut, Math.Min(cut + 3, bytes.Length - 1)), MaxHead, 100, ref sink, out var head, out _);
            Assert.Equal(Http1ParseStatus.Complete, status);
            Assert.Equal(whole.Head.Length, head.Length);
            Assert.Equal(whole.Sink.Headers, sink.Headers);
        }
    }

    private static (Http1ParseStatus Status, Http1ResponseHead Head, string? Error, RecordingSink Sink) Parse(string text, int maxHead = MaxHead, int maxHeaders = 100)
    {
        var sink = new RecordingSink();
        var status = Http1ResponseHeadParser.TryParse(new ReadOnlySequence<byte>(ByteSequences.Latin1(text)), maxHead, maxHeaders, ref sink, out var head, out var error);
        return (status, head, error, sink);
    }
}
