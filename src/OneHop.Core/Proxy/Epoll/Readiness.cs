namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// One direction of a socket as epoll reports it: a count of the edges seen (every arrival of bytes, or of room to
/// send, while edge-triggered) and at most one waiter. A caller notes <see cref="Edges"/>, tries its system call, and
/// when that finds nothing waits for an edge after the one it noted: an edge that came between the try and the wait is
/// never lost, and a caller that knows the socket is drained (a short read) waits without trying at all. The waiter
/// is told on the thread that signals the edge, the loop thread, as Kestrel's inline scheduling runs continuations.
/// </summary>
internal sealed class Readiness
{
    private IReadinessWaiter? _waiter;
    private CancellationTokenRegistration _cancellation;
    private int _edges;

    public int Edges => Volatile.Read(ref _edges);

    /// <summary>An edge: tells the waiter, if any. Called by the loop thread, and by a close to wake a waiter for good.</summary>
    public void Signal()
    {
        Interlocked.Increment(ref _edges);
        if (Interlocked.Exchange(ref _waiter, null) is { } waiter)
        {
            // Dispose, not Unregister: a cancellation callback already running on another thread is waited for (it
            // only finds no waiter), so it cannot take the next wait's waiter once the one told here waits again.
            _cancellation.Dispose();
            waiter.OnEdge();
        }
    }

    /// <summary>
    /// Makes <paramref name="waiter"/> the one told of the next edge after <paramref name="seen"/>; false, with nothing
    /// registered, when that edge has already come or the token is cancelled (the caller tries again, or stops). A
    /// token cancelled later tells the waiter through <see cref="IReadinessWaiter.OnCanceled"/> instead, at most once.
    /// </summary>
    public bool TryWait(int seen, IReadinessWaiter waiter, CancellationToken cancellationToken)
    {
        // Registered before the waiter is published, so that an edge on another thread always finds (and removes) this
        // wait's registration, never an earlier or a later one. A registration that fires with no waiter does nothing.
        _cancellation = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static (s, token) => ((Readiness)s!).Cancel(token), this)
            : default;
        Volatile.Write(ref _waiter, waiter);
        Interlocked.MemoryBarrier();
        if ((Volatile.Read(ref _edges) != seen || cancellationToken.IsCancellationRequested)
            && Interlocked.CompareExchange(ref _waiter, null, waiter) == waiter)
        {
            _cancellation.Dispose();
            return false;
        }

        return true;
    }

    private void Cancel(CancellationToken token)
    {
        if (Interlocked.Exchange(ref _waiter, null) is { } waiter)
        {
            waiter.OnCanceled(token);
        }
    }
}
