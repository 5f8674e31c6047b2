using System.Buffers;
using System.Text;

namespace OneHop.Core.Tests.Proxy.Http1;

/// <summary>Byte sequences as a pipe hands them over: one segment, or split at chosen places.</summary>
internal static class ByteSequences
{
    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary><paramref name="data"/> in segments cut at <paramref name="cuts"/> (ascending, inside the data).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        if (cuts.Length == 0)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var bounds = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Append(data.Length).ToArray();
        var first = new Segment(data.AsMemory(0, bounds[0]), 0);
        var last = first;
        for (var i = 1; i < bounds.Length; i++)
        {
            last = last.Append(data.AsMemory(bounds[i - 1], bounds[i] - bounds[i - 1]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
