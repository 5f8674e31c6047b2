using System.Net.Sockets;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// Watches a client's socket while its connection waits in a capped backend's queue, so that a client that hangs up
/// leaves the queue (its place and, were it granted, a pod's slot) at once instead of at the queue timeout. A zero-byte
/// receive completes when the client sends or closes; with nothing to read it has closed (or reset). A client that
/// sends is alive, and the watch ends there: it never reads the client's bytes.
/// </summary>
internal sealed class ClientHangupWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _gone;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private volatile bool _hungUp;

    public ClientHangupWatch(Socket client, CancellationToken stopping)
    {
        _gone = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _watching = WatchAsync(client);
    }

    /// <summary>Canceled when the client hangs up, or when <c>stopping</c> is.</summary>
    public CancellationToken Token => _gone.Token;

    /// <summary>The client closed or reset its connection while watched.</summary>
    public bool HungUp => _hungUp;

    /// <summary>Stops watching; the client's socket is free for the relay's reads once this returns.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        _gone.Dispose();
        _stop.Dispose();
    }

    private async Task WatchAsync(Socket client)
    {
        try
        {
            await client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            if (client.Available == 0)
            {
                HangUp();
            }
        }
        catch (SocketException)
        {
            HangUp();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The wait is over, or the connection already closed.
        }
    }

    private void HangUp()
    {
        _hungUp = true;
        _gone.Cancel();
    }
}
