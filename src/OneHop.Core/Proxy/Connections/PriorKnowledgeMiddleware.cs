using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace OneHop.Core.Proxy.Connections;

/// <summary>
/// On a cleartext HTTP/1.1 endpoint: a connection that opens with HTTP/2's client preface (RFC 9113 §3.4, prior
/// knowledge) goes to <see cref="PriorKnowledgeHandoff"/>'s HTTP/2 endpoint; any other goes on as HTTP/1.1. The bytes
/// are looked at, never consumed. HTTP/1.1 costs one look at the first read; only a start that spells the preface so
/// far waits for more bytes.
/// </summary>
internal sealed class PriorKnowledgeMiddleware(ConnectionDelegate next, PriorKnowledgeHandoff handoff)
{
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var read = await input.ReadAsync();
            var buffer = read.Buffer;
            var (spellsPreface, length) = Compare(buffer);
            if (spellsPreface && length < Preface.Length && !read.IsCompleted && !read.IsCanceled)
            {
                // Examined, not consumed: the next read returns once more bytes came.
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            // Nothing consumed or examined: whoever reads next sees the same bytes at once.
            input.AdvanceTo(buffer.Start);
            if (spellsPreface && length == Preface.Length)
            {
                await handoff.ServeAsync(connection);
                return;
            }

            break;
        }

        await next(connection);
    }

    /// <summary>Whether the bytes so far (at most the preface's length of them) are the preface's start.</summary>
    private static (bool SpellsPreface, int Length) Compare(in ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> start = stackalloc byte[Preface.Length];
        buffer.Slice(0, length).CopyTo(start);
        return (start[..length].SequenceEqual(Preface[..length]), length);
    }
}
