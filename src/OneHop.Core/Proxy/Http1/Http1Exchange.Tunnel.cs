using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http1;

/// <summary>An upgraded connection (WebSocket): after the endpoint's 101, bytes both ways until either side closes.</summary>
internal sealed partial class Http1Exchange
{
    /// <summary>
    /// Switches the client's connection (Kestrel sends the 101 with the endpoint's headers) and relays bytes both
    /// ways; the first side to close or fail ends both. No byte either way for <see cref="Http1ForwarderOptions.ActivityTimeout"/>
    /// is <c>Stalled</c>.
    /// </summary>
    private async Task<AttemptOutcome> TunnelAsync()
    {
        Stream client;
        try
        {
            client = await _context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            return Failed(Side.Client, ex);
        }

        _connection.Arm(_activityTimeout);
        var down = DownAsync(client);
        var up = UpAsync(client);
        var first = await Task.WhenAny(down, up);
        var outcome = await first;
        _connection.Cancel(Http1CancelReason.Finished);
        await (first == down ? up : down);
        return outcome;
    }

    /// <summary>Endpoint to client; the endpoint closing is a clean end.</summary>
    private async Task<AttemptOutcome> DownAsync(Stream client)
    {
        var reader = _connection.Reader;
        var token = _connection.Token;
        var side = Side.Upstream;
        try
        {
            while (true)
            {
                side = Side.Upstream;
                if (!reader.TryRead(out var result))
                {
                    await _connection.WaitForDataAsync();
                    result = await reader.ReadAsync(token);
                }

                var buffer = result.Buffer;
                side = Side.Client;
                foreach (var segment in buffer)
                {
                    await client.WriteAsync(segment, token);
                }

                reader.AdvanceTo(buffer.End);
                if (!buffer.IsEmpty)
                {
                    await client.FlushAsync(token);
                    _connection.Arm(_activityTimeout);
                }

                if (result.IsCompleted)
                {
                    return AttemptOutcome.Success;
                }
            }
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            return Failed(side, ex);
        }
    }

    /// <summary>Client to endpoint; the client closing is a clean end.</summary>
    private async Task<AttemptOutcome> UpAsync(Stream client)
    {
        var writer = _connection.Writer;
        var token = _connection.Token;
        var side = Side.Client;
        try
        {
            while (true)
            {
                side = Side.Client;

                // A zero-byte read first: an idle tunnel holds no write buffer while the client is silent.
                _ = await client.ReadAsync(Memory<byte>.Empty, token);
                var read = await client.ReadAsync(writer.GetMemory(4096), token);
                if (read == 0)
                {
                    return AttemptOutcome.Success;
                }

                writer.Advance(read);
                side = Side.Upstream;
                var flush = await writer.FlushAsync(token);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return Failed(Side.Upstream);
                }

                _connection.Arm(_activityTimeout);
            }
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            return Failed(side, ex);
        }
    }
}
