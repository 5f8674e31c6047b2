namespace KubeApiTestServer.Watching;

/// <summary>
/// The "close all watches" and "drop all watches" knobs. Each watch takes the current tokens when it starts;
/// firing a knob cancels them and arms fresh ones for later watches.
/// </summary>
internal sealed class WatchControl : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _close = new();
    private CancellationTokenSource _drop = new();

    /// <summary>Cancelled when every open watch must end cleanly (terminating chunk sent).</summary>
    public CancellationToken CloseToken
    {
        get
        {
            lock (_gate)
            {
                return _close.Token;
            }
        }
    }

    /// <summary>Cancelled when every open watch must be aborted without the terminating chunk.</summary>
    public CancellationToken DropToken
    {
        get
        {
            lock (_gate)
            {
                return _drop.Token;
            }
        }
    }

    public void CloseAll() => Fire(ref _close);

    public void DropAll() => Fire(ref _drop);

    public void Dispose()
    {
        lock (_gate)
        {
            _close.Dispose();
            _drop.Dispose();
        }
    }

    private void Fire(ref CancellationTokenSource source)
    {
        CancellationTokenSource fired;
        lock (_gate)
        {
            fired = source;
            source = new CancellationTokenSource();
        }

        fired.Cancel();
        fired.Dispose();
    }
}
