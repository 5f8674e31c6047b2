using Microsoft.AspNetCore.Connections;

namespace OneHop.Core.Proxy.Connections;

/// <summary>Caps one listener's open connections; one more is closed at once rather than queued.</summary>
internal sealed class ConnectionLimitMiddleware(ConnectionDelegate next, int limit)
{
    private int _open;

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        if (Interlocked.Increment(ref _open) > limit)
        {
            Interlocked.Decrement(ref _open);
            connection.Abort();
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
