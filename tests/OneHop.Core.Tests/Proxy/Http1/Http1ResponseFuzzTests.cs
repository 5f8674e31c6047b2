using System.Buffers;
using System.Text;
using CsCheck;
using OneHop.Core.Proxy.Http1;
using OneHop.Core.Tests.Support.Fuzz;

namespace OneHop.Core.Tests.Proxy.Http1;

/// <summary>
/// Property tests of the response parsers with random, structured and mutated bytes: they never throw, never read
/// past the bytes they are given, read the same however the bytes are split, and accept exactly the heads the
/// plainly written <see cref="Http1ResponseReference"/> accepts — so every head passed on is well framed.
/// </summary>
public sealed class Http1ResponseFuzzTests
{
    private const int MaxHead = 2048;
    private const int MaxHeaders = 12;

    /// <summary>Bytes that matter to HTTP/1.1 framing, drawn more often than the others.</summary>
    private static readonly Gen<byte> Bytes = Gen.Frequency(
        (4, Gen.OneOf("\r\n :\t,;0123456789aAcChH-/.\"\\"u8.ToArray().Append((byte)0).Append((byte)0xE9).Append((byte)0x7F).Append((byte)0x01).ToArray())),
        (1, (IGen<byte>)Gen.Byte));

    private static readonly string[] StatusLines =
        ["HTTP/1.1 200 OK", "HTTP/1.0 200 OK", "HTTP/1.1 204", "HTTP/1.1 101 Switching Protocols", "HTTP/1.1 100 Continue", "HTTP/1.1 2OO OK",
         "HTTP/1.1 600 X", "HTTP/2 200 OK", "HTTP/1.1 200  OK", "HTTP/1.1 304 Not Modified", "http/1.1 200 OK"];

    /// <summary>One field line, mostly valid, framing fields often: ambiguity needs valid fields around it to show.</summary>
    private static readonly Gen<string> Fields = Gen.Frequency(
        (3, Field(["Content-Length", "content-length", "CONTENT-LENGTH"], ["0", "5", "5, 5", "5,5", "6", "5, 6", "+5", "-1", "0x5", "", "99999999999999999999", "9223372036854775807", "5 5"])),
        (3, Field(["Transfer-Encoding", "transfer-encoding"], ["chunked", "Chunked", " chunked ", ", chunked", "chunked,", "gzip, chunked", "chunked, gzip", "chunked, chunked", "identity", ""])),
        (2, Field(["Connection"], ["close", "keep-alive", "X-A", "close, X-A", "Upgrade", "a@b", ""])),
        (3, Field(["X-A", "Set-Cookie", "Upgrade", "Keep-Alive", "Content-Type"], ["v", "caf\u00e9", " padded\t", "", "a, b", "a=1; Path=/"])),
        (1, Field(["X-A ", " X-A", "X A", "", "X\u00e9"], ["v"])),
        (1, Field(["X-A"], ["a\rb", "a\nb", "a\u0000b", "1\u0001", "\u007F"])));

    private static readonly Gen<string> LineEnds = Gen.Frequency((24, Gen.Const("\r\n")), (1, Gen.OneOf("\n", "\r", "\r\n ", "\r\n\t")));

    /// <summary>A head built from likely parts, its line ends sometimes wrong.</summary>
    private static readonly Gen<byte[]> StructuredHeads =
        Gen.Select(
            Gen.Frequency((8, Gen.Const(0)), (4, Gen.Int[1, StatusLines.Length - 1])),
            Gen.Select(Fields, LineEnds, (field, end) => field + end).Array[0, 6],
            Gen.Byte.Array[0, 8],
            (status, fields, tail) =>
                Encoding.Latin1.GetBytes(StatusLines[status] + "\r\n" + string.Concat(fields) + "\r\n").Concat(tail).ToArray());

    /// <summary>A structured head with bytes inserted, deleted or replaced at random places.</summary>
    private static readonly Gen<byte[]> MutatedHeads = ByteMutator.Mutated(StructuredHeads, Bytes);

    private static readonly Gen<byte[]> RandomHeads =
        Gen.Select(Gen.OneOf("", "HTTP/1.1 ", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nContent-Length: "), Bytes.Array[0, 120], Gen.Bool, (prefix, body, end) =>
            Encoding.Latin1.GetBytes(prefix).Concat(body).Concat(end ? "\r\n\r\n"u8.ToArray() : []).ToArray());

    private static Gen<string> Field(string[] names, string[] values) =>
        Gen.Select(Gen.OneOf(names), Gen.OneOf(values), (name, value) => name + ": " + value);

    [Fact]
    public void Random_bytes_are_judged_as_the_reference_judges_them() => Sample(RandomHeads, 20_000);

    [Fact]
    public void Structured_heads_are_judged_as_the_reference_judges_them() => Sample(StructuredHeads, 20_000);

    [Fact]
    public void Mutated_heads_are_judged_as_the_reference_judges_them() => Sample(MutatedHeads, 20_000);

    [Fact]
    public void Chunked_bodies_decode_the_same_however_they_arrive_and_only_when_well_framed()
    {
        var chunks = Gen.Select(Gen.OneOf("5\r\nhello\r\n", "3;x=y\r\nabc\r\n", "A\r\n0123456789\r\n", "1 ;a\r\n!\r\n", "0\r\n\r\n", "0\r\nX-T: 1\r\n\r\n"), Gen.Int[0, 9], (c, _) => c).Array[0, 5];
        var bodies = Gen.Select(chunks, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1 << 16], Bytes).Array[0, 3], Gen.Int[0, 1 << 16].Array[0, 3], (parts, edits, cuts) =>
        {
            var bytes = Encoding.Latin1.GetBytes(string.Concat(parts) + "0\r\n\r\n").ToList();
            foreach (var (kind, where, value) in edits)
            {
                var at = where % bytes.Count;
                switch (kind)
                {
                    case 0:
                        bytes.Insert(at, value);
                        break;
                    case 1 when bytes.Count > 1:
                        bytes.RemoveAt(at);
                        break;
                    default:
                        bytes[at] = value;
                        break;
                }
            }

            return (Bytes: bytes.ToArray(), Cuts: cuts.Select(c => c % (bytes.Count + 1)).ToArray());
        });

        bodies.Sample(
            sample =>
            {
                var whole = ChunkedBody.Decode(sample.Bytes);
                var split = ChunkedBody.Decode(sample.Bytes, sample.Cuts);
                Assert.Equal(whole.Status, split.Status);
                Assert.Equal(whole.Data, split.Data);
                Assert.Equal(whole.Trailers.Headers, split.Trailers.Headers);
                Assert.InRange(whole.Consumed, 0, sample.Bytes.Length);
                if (whole.Status == Http1ParseStatus.Complete)
                {
                    Assert.Equal(whole.Data, ReferenceDechunk(Encoding.Latin1.GetString(sample.Bytes, 0, (int)whole.Consumed)));
                }
            },
            iter: Http1Fuzz.Iterations(20_000),
            writeLine: Http1Fuzz.Report,
            seed: Http1Fuzz.Seed,
            threads: 1);
    }

    private static void Sample(Gen<byte[]> gen, int iterations) =>
        gen.Sample(
            bytes =>
            {
                var (status, length, contentLength, chunked) = ParseWithin(bytes);

                // The same bytes in two or three segments read the same.
                var cut = bytes.Length / 3;
                var split = Parse(ByteSequences.Split(bytes, cut, 2 * cut));
                Assert.Equal((status, length), (split.Status, split.Length));

                var head = Http1ResponseReference.FirstHead(bytes, MaxHead);
                if (head is null)
                {
                    Assert.NotEqual(Http1ParseStatus.Complete, status);
                    return;
                }

                var reference = Http1ResponseReference.Check(head, MaxHeaders);
                Assert.Equal(reference.Ok, status == Http1ParseStatus.Complete);
                if (reference.Ok)
                {
                    Assert.Equal(head.Length, length);
                    Assert.Equal(reference.ContentLength, contentLength);
                    Assert.Equal(reference.Chunked, chunked);
                }
            },
            iter: Http1Fuzz.Iterations(iterations),
            writeLine: Http1Fuzz.Report,
            seed: Http1Fuzz.Seed,
            threads: 1);

    /// <summary>
    /// Parses <paramref name="bytes"/> placed in a larger array whose next bytes would complete any head: a parser that
    /// read past what it was given would see them.
    /// </summary>
    private static (Http1ParseStatus Status, int Length, long ContentLength, bool Chunked) ParseWithin(byte[] bytes)
    {
        var memory = bytes.Concat("\r\n\r\n\r\n\r\n"u8.ToArray()).ToArray().AsMemory(0, bytes.Length);
        var result = Parse(new ReadOnlySequence<byte>(memory));
        Assert.InRange(result.Length, 0, bytes.Length);
        return result;
    }

    private static (Http1ParseStatus Status, int Length, long ContentLength, bool Chunked) Parse(ReadOnlySequence<byte> buffer)
    {
        var sink = new RecordingSink();
        var status = Http1ResponseHeadParser.TryParse(buffer, MaxHead, MaxHeaders, ref sink, out var head, out var error);
        Assert.Equal(status == Http1ParseStatus.Malformed, error is not null);
        Assert.True(status == Http1ParseStatus.Complete || (sink.StatusCode == 0 && sink.Headers.Count == 0));
        return (status, head.Length, head.ContentLength, head.Chunked);
    }

    /// <summary>The data of a complete chunked body, decoded plainly.</summary>
    private static string ReferenceDechunk(string body)
    {
        var data = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var line = body[at..lineEnd];
            var hex = new string(line.TakeWhile(char.IsAsciiHexDigit).ToArray());
            Assert.InRange(hex.Length, 1, 16);
            var size = Convert.ToInt64(hex, 16);
            at = lineEnd + 2;
            if (size == 0)
            {
                var trailers = body[at..];
                Assert.True(trailers == "\r\n" || trailers.EndsWith("\r\n\r\n", StringComparison.Ordinal));
                return data.ToString();
            }

            data.Append(body, at, (int)size);
            Assert.Equal("\r\n", body.Substring(at + (int)size, 2));
            at += (int)size + 2;
        }
    }
}
