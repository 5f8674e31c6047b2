using OneHop.Core.Proxy.Http1;

namespace OneHop.Core.Tests.Proxy.Http1;

public sealed class Http1ChunkedDecoderTests
{
    /// <summary>A valid chunked body and its data.</summary>
    public static TheoryData<string, string> Valid => new()
    {
        { "0\r\n\r\n", string.Empty },
        { "5\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world" },
        { "A\r\n0123456789\r\n0\r\n\r\n", "0123456789" },
        { "a\r\n0123456789\r\n0\r\n\r\n", "0123456789" },
        { "0005\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5;name=value\r\nhello\r\n0;last\r\n\r\n", "hello" },
        { "5 ; a ; b = \"q\\\"x;y\" ;c=d\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5\r\nhe\r\no\r\n0\r\n\r\n", "he\r\no" },
        { "2\r\n\u00e9\u00e8\r\n0\r\n\r\n", "\u00e9\u00e8" },
    };

    /// <summary>An invalid chunked body and a phrase of the reason.</summary>
    public static TheoryData<string, string> Malformed => new()
    {
        { "+5\r\nhello\r\n0\r\n\r\n", "invalid chunk size" },
        { "-5\r\nhello\r\n0\r\n\r\n", "invalid chunk size" },
        { " 5\r\nhello\r\n0\r\n\r\n", "invalid chunk size" },
        { "0x5\r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "5 \r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "g\r\nhello\r\n0\r\n\r\n", "invalid chunk size" },
        { "\r\nhello\r\n0\r\n\r\n", "invalid chunk size" },
        { "00000000000000005\r\nhello\r\n0\r\n\r\n", "invalid chunk size" },
        { "8000000000000000\r\nhello\r\n0\r\n\r\n", "chunk size too large" },
        { "5\nhello\r\n0\r\n\r\n", "not ended by CRLF" },
        { "5\r\r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "5\r\nhelloX\r\n0\r\n\r\n", "not followed by CRLF" },
        { "5\r\nhello\n0\r\n\r\n", "not followed by CRLF" },
        { "5;\r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "5;a=\r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "5;a=\"open\r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "5;a b\r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "5;a \r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "5;a=b \r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "5;a=\u0001\r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "5\u0000\r\nhello\r\n0\r\n\r\n", "invalid chunk extension" },
        { "0\r\nBad Trailer: x\r\n\r\n", "invalid field name" },
        { "0\r\nX-T: a\r\n b\r\n\r\n", "obs-fold" },
        { "0\r\nX-T: a\u0000\r\n\r\n", "control byte" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_valid_body_decodes_to_its_data_however_it_arrives(string text, string data)
    {
        var bytes = ByteSequences.Latin1(text + "NEXT");
        for (var cut = 0; cut <= text.Length; cut++)
        {
            var (status, decoded, _, error, consumed) = ChunkedBody.Decode(bytes, cut);
            Assert.Null(error);
            Assert.Equal(Http1ParseStatus.Complete, status);
            Assert.Equal(data, decoded);
            Assert.Equal(text.Length, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_body_is_refused(string text, string reason)
    {
        var (status, _, trailers, error, _) = ChunkedBody.Decode(ByteSequences.Latin1(text));

        Assert.Equal(Http1ParseStatus.Malformed, status);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Empty(trailers.Headers);
    }

    [Fact]
    public void Trailers_reach_the_sink_without_framing_fields()
    {
        var (status, data, trailers, _, _) = ChunkedBody.Decode(ByteSequences.Latin1("3\r\nabc\r\n0\r\nX-Checksum: 42\r\nContent-Length: 3\r\nGrpc-Status: 0\r\n\r\n"));

        Assert.Equal(Http1ParseStatus.Complete, status);
        Assert.Equal("abc", data);
        Assert.Equal([("X-Checksum", "42"), ("Grpc-Status", "0")], trailers.Headers);
    }

    [Fact]
    public void An_unfinished_body_asks_for_more()
    {
        foreach (var text in new[] { string.Empty, "5", "5\r", "5\r\nhel", "5\r\nhello", "5\r\nhello\r", "5\r\nhello\r\n0\r\n", "0\r\nX-T: 1\r\n" })
        {
            Assert.Equal(Http1ParseStatus.Incomplete, ChunkedBody.Decode(ByteSequences.Latin1(text)).Status);
        }
    }

    [Fact]
    public void Lines_and_trailer_sections_past_their_limits_are_malformed()
    {
        var longLine = "5;" + new string('a', Http1ChunkedDecoder.MaxChunkLine) + "\r\nhello\r\n0\r\n\r\n";
        Assert.Contains("too long", ChunkedBody.Decode(ByteSequences.Latin1(longLine)).Error, StringComparison.Ordinal);

        var endless = "5;" + new string('a', Http1ChunkedDecoder.MaxChunkLine + 10);
        Assert.Equal(Http1ParseStatus.Malformed, ChunkedBody.Decode(ByteSequences.Latin1(endless)).Status);

        var bigTrailers = "0\r\nX-T: " + new string('a', ChunkedBody.MaxTrailerBytes) + "\r\n\r\n";
        Assert.Contains("trailer section larger", ChunkedBody.Decode(ByteSequences.Latin1(bigTrailers)).Error, StringComparison.Ordinal);

        var manyTrailers = "0\r\n" + string.Concat(Enumerable.Range(0, 17).Select(i => $"X-{i}: 1\r\n")) + "\r\n";
        Assert.Contains("too many trailer fields", ChunkedBody.Decode(ByteSequences.Latin1(manyTrailers)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chunk_size_line_split_across_segments_is_read()
    {
        var decoder = default(Http1ChunkedDecoder);
        var sink = new RecordingSink();
        var bytes = ByteSequences.Latin1("1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n");
        var status = decoder.Read(ByteSequences.Split(bytes, 1, 4, 9), 4096, 16, ref sink, out var data, out _, out var error);

        Assert.Null(error);
        Assert.Equal(Http1ParseStatus.Incomplete, status);
        Assert.Equal(26, data.Length);
    }
}
