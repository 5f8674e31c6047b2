using System.Threading.Tasks.Sources;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// A wait for one edge of a <see cref="Readiness"/> as a reusable <see cref="ValueTask"/>, for the paths that are
/// async methods (accepting, connecting, a send that found the kernel's buffer full). One wait at a time.
/// </summary>
internal sealed class ReadinessAwaiter(Readiness readiness) : IValueTaskSource, IReadinessWaiter
{
    private ManualResetValueTaskSourceCore<bool> _core;

    /// <summary>The waiter's continuation runs on the thread pool instead of the thread that signals the edge.</summary>
    public bool ContinueOnThreadPool
    {
        get => _core.RunContinuationsAsynchronously;
        set => _core.RunContinuationsAsynchronously = value;
    }

    /// <summary>Completes once an edge after <paramref name="seen"/> has come (at once if one already has); throws when cancelled.</summary>
    public ValueTask WaitAsync(int seen, CancellationToken cancellationToken)
    {
        _core.Reset();
        if (readiness.TryWait(seen, this, cancellationToken))
        {
            return new ValueTask(this, _core.Version);
        }

        return cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled(cancellationToken) : ValueTask.CompletedTask;
    }

    public void OnEdge() => _core.SetResult(true);

    public void OnCanceled(CancellationToken token) => _core.SetException(new OperationCanceledException(token));

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
