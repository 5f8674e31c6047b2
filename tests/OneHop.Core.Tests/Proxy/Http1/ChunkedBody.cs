using System.Buffers;
using System.Text;
using OneHop.Core.Proxy.Http1;

namespace OneHop.Core.Tests.Proxy.Http1;

/// <summary>Runs <see cref="Http1ChunkedDecoder"/> over bytes arriving in pieces, as the forwarder drives it.</summary>
internal static class ChunkedBody
{
    public const int MaxTrailerBytes = 4096;

    /// <summary>The decoded data, the trailers, the final status and error, and how many bytes were taken.</summary>
    public static (Http1ParseStatus Status, string Data, RecordingSink Trailers, string? Error, long Consumed) Decode(byte[] bytes, params int[] arrivals)
    {
        var decoder = default(Http1ChunkedDecoder);
        var trailers = new RecordingSink();
        var data = new StringBuilder();
        var start = 0L;
        var status = Http1ParseStatus.Incomplete;
        string? error = null;

        // Bytes arrive up to each boundary in turn; what the decoder did not consume stays for the next round.
        foreach (var available in arrivals.Append(bytes.Length).Where(a => a <= bytes.Length).Order())
        {
            var buffer = new ReadOnlySequence<byte>(bytes, (int)start, (int)(available - start));
            while (true)
            {
                status = decoder.Read(buffer, MaxTrailerBytes, 16, ref trailers, out var chunk, out var consumed, out error);
                data.Append(Encoding.Latin1.GetString(chunk.ToArray()));
                start += buffer.Slice(0, consumed).Length;
                buffer = buffer.Slice(consumed);
                if (status != Http1ParseStatus.Incomplete || chunk.IsEmpty)
                {
                    break;
                }
            }

            if (status != Http1ParseStatus.Incomplete)
            {
                break;
            }
        }

        return (status, data.ToString(), trailers, error, start);
    }
}
