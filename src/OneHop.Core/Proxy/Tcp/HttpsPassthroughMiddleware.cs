using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// Kestrel connection middleware of an HTTPS listener, before TLS: when the snapshot has ssl-passthrough hosts, it
/// peeks the ClientHello without consuming it and, when its SNI names one of them (exact, then wildcard, as
/// tls-passthrough listeners route), hands the connection to <see cref="TcpConnectionHandler"/>, which relays it to a
/// pod untouched: the client sees the pod's certificate. Every other connection — another name, no SNI, a malformed
/// or non-TLS first record — goes on to Kestrel's TLS with its bytes unread, as if nothing had looked.
/// </summary>
internal sealed class HttpsPassthroughMiddleware(ConnectionDelegate next, string listener, TcpConnectionHandler handler, TimeProvider time)
{
    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        if (handler.Passthrough.Count == 0)
        {
            // The usual case costs nothing: no peek, no timer.
            await next(connection).ConfigureAwait(false);
            return;
        }

        string? serverName;
        try
        {
            serverName = await PeekServerNameAsync(connection).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // No whole ClientHello within the handshake timeout: Kestrel's TLS would give up on it too.
            connection.Abort();
            return;
        }

        if (serverName is not null && handler.Passthrough.TryGet(serverName, out var route))
        {
            await handler.PassThroughAsync(connection, listener, route, serverName).ConfigureAwait(false);
            return;
        }

        await next(connection).ConfigureAwait(false);
    }

    /// <summary>The ClientHello's SNI, or null when there is none or the bytes are no ClientHello; consumes nothing.</summary>
    private async Task<string?> PeekServerNameAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var deadline = new CancellationTokenSource(TcpConnectionHandler.PreambleTimeout, time);
        using var closed = connection.ConnectionClosed.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        while (true)
        {
            var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = Read(buffer, out var serverName);
            if (status == ClientHelloStatus.Incomplete && !result.IsCompleted && !result.IsCanceled && buffer.Length < ClientHello.MaxBytes)
            {
                // Examined, not consumed: the next read waits for more bytes.
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            // Nothing consumed, nothing examined: TLS or the relay reads these bytes again at once.
            input.AdvanceTo(buffer.Start);
            return status == ClientHelloStatus.Complete ? serverName : null;
        }
    }

    private static ClientHelloStatus Read(ReadOnlySequence<byte> buffer, out string? serverName)
    {
        if (buffer.IsSingleSegment)
        {
            return ClientHello.TryRead(buffer.FirstSpan, out serverName, out _, out _);
        }

        var length = (int)Math.Min(buffer.Length, ClientHello.MaxBytes);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(copy);
            return ClientHello.TryRead(copy.AsSpan(0, length), out serverName, out _, out _);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
