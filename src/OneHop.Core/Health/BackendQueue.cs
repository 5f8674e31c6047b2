using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Health;

/// <summary>
/// A backend's per-endpoint cap and its queue (<see cref="ConcurrencyLimit"/>): how many of the backend's requests (TCP:
/// connections) each endpoint carries now, and the requests that found every candidate full, in arrival order. A slot
/// that frees goes straight to the first waiter that may use it, so a newcomer never takes it from under the queue
/// (HAProxy's pendconn hand-off). Kept by the data plane across snapshots, like the retry budget, so the counts of
/// requests in flight survive a swap; waiters are granted from the backend's state in force (<see cref="Serve"/>), so a
/// pod that joins while they wait serves them at once.
/// </summary>
/// <remarks>
/// One lock per backend, taken only by capped backends: twice per request (take, release), and for each waiter. The
/// counts are the backend's own (HAProxy's server maxconn counts its backend's connections), not the pod's across
/// backends, so a slot is released where it was taken whatever snapshot is in force by then.
/// </remarks>
internal sealed class BackendQueue(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<EndpointRuntime, int> _inUse = [];
    private readonly LinkedList<Waiter> _waiters = new();
    private BackendState? _current;
    private int _waiting;

    /// <summary>Requests waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>The slots the endpoint holds for this backend now.</summary>
    public int InUse(Destination destination)
    {
        lock (_lock)
        {
            return _inUse.GetValueOrDefault(destination.Runtime);
        }
    }

    /// <summary>
    /// The backend's state in force: its cap and its available endpoints, which waiters are granted from. Null when the
    /// backend left the routing: its waiters go on uncapped, as they would had the cap been lifted.
    /// </summary>
    public void Serve(BackendState? state)
    {
        lock (_lock)
        {
            _current = state;
            DispatchLocked();
        }
    }

    /// <summary>
    /// A slot on <paramref name="picked"/>, or when it is full on the least busy of <paramref name="candidates"/> with
    /// room (a full pod's share spills, as Maglev's bounded load does); null when every candidate is full.
    /// </summary>
    public Destination? TryTake(Destination picked, DestinationSet candidates, int cap)
    {
        lock (_lock)
        {
            var chosen = _inUse.GetValueOrDefault(picked.Runtime) < cap ? picked : LeastBusyLocked(candidates.Items, cap, tried: null);
            if (chosen is null)
            {
                return null;
            }

            TakeLocked(chosen);
            if (_waiters.Count > 0)
            {
                // Room the waiters were not told of (an endpoint back from ejection, a raised cap): theirs first from now.
                DispatchLocked();
            }

            return chosen;
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryTake"/> or granted by <see cref="WaitAsync"/>; the first waiter that may use it gets it.</summary>
    public void Release(Destination destination)
    {
        lock (_lock)
        {
            var runtime = destination.Runtime;
            if (_inUse.TryGetValue(runtime, out var held))
            {
                if (held <= 1)
                {
                    _inUse.Remove(runtime);
                }
                else
                {
                    _inUse[runtime] = held - 1;
                }
            }

            if (_waiters.Count > 0)
            {
                DispatchLocked();
            }
        }
    }

    /// <summary>
    /// Waits, behind those already waiting, for a slot on an endpoint not in <paramref name="tried"/>. The grant is
    /// counted already and names the backend state it came from; Full when the queue is at its size, TimedOut after the
    /// cap's queue timeout. Throws when <paramref name="cancellationToken"/> ends the wait (a grant that raced it is
    /// given back).
    /// </summary>
    public async Task<QueueTicket> WaitAsync(IReadOnlyCollection<Destination>? tried, CancellationToken cancellationToken)
    {
        Waiter waiter;
        TimeSpan timeout;
        lock (_lock)
        {
            var limit = _current?.Policy.Concurrency;
            if (limit is not { Enabled: true })
            {
                // The cap went away with a snapshot: nothing to wait for.
                return new QueueTicket(QueueOutcome.Granted, _current, null);
            }

            if (_waiters.Count >= limit.QueueSize)
            {
                return new QueueTicket(QueueOutcome.Full, null, null);
            }

            waiter = new Waiter(tried);
            waiter.Node = _waiters.AddLast(waiter);
            _waiting = _waiters.Count;
            timeout = limit.QueueTimeout;
        }

        try
        {
            var destination = await waiter.Granted.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return new QueueTicket(QueueOutcome.Granted, waiter.Backend, destination);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_lock)
            {
                if (waiter.Node.List is not null)
                {
                    _waiters.Remove(waiter.Node);
                    _waiting = _waiters.Count;
                    if (ex is TimeoutException)
                    {
                        return new QueueTicket(QueueOutcome.TimedOut, null, null);
                    }

                    throw;
                }
            }

            // Granted as the wait ended (the grant is set under the lock, so it is there now).
            var granted = waiter.Granted.Task.Result;
            if (ex is TimeoutException)
            {
                return new QueueTicket(QueueOutcome.Granted, waiter.Backend, granted);
            }

            if (granted is not null)
            {
                Release(granted);
            }

            throw;
        }
    }

    /// <summary>Grants waiters, in order, the room the backend in force has; each waiter skips the endpoints it tried.</summary>
    private void DispatchLocked()
    {
        if (_waiters.Count == 0)
        {
            return;
        }

        var state = _current;
        var cap = state?.Policy.MaxPerEndpoint ?? 0;
        var available = cap > 0 ? state!.Available().Items : [];
        for (var node = _waiters.First; node is not null;)
        {
            var next = node.Next;
            var waiter = node.Value;
            Destination? granted = null;
            if (cap > 0)
            {
                granted = LeastBusyLocked(available, cap, waiter.Tried);
                if (granted is null)
                {
                    if (waiter.Tried is null or { Count: 0 })
                    {
                        return; // no room for anyone
                    }

                    node = next;
                    continue;
                }

                TakeLocked(granted);
            }

            _waiters.Remove(node);
            waiter.Backend = state;
            waiter.Granted.TrySetResult(granted);
            node = next;
        }

        _waiting = _waiters.Count;
    }

    private Destination? LeastBusyLocked(System.Collections.Immutable.ImmutableArray<Destination> candidates, int cap, IReadOnlyCollection<Destination>? tried)
    {
        Destination? best = null;
        var least = cap;
        foreach (var destination in candidates)
        {
            var held = _inUse.GetValueOrDefault(destination.Runtime);
            if (held < least && !Tried(destination, tried))
            {
                (best, least) = (destination, held);
            }
        }

        return best;
    }

    /// <summary>Whether the endpoint is among those tried, by identity: the tried list may be an earlier snapshot's.</summary>
    private static bool Tried(Destination destination, IReadOnlyCollection<Destination>? tried)
    {
        if (tried is null)
        {
            return false;
        }

        foreach (var one in tried)
        {
            if (one.Id == destination.Id)
            {
                return true;
            }
        }

        return false;
    }

    private void TakeLocked(Destination destination)
    {
        ref var held = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_inUse, destination.Runtime, out _);
        held++;
    }

    private sealed class Waiter(IReadOnlyCollection<Destination>? tried)
    {
        public TaskCompletionSource<Destination?> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<Destination>? Tried { get; } = tried;

        public LinkedListNode<Waiter> Node { get; set; } = null!;

        /// <summary>The backend state the grant came from (set before the grant).</summary>
        public BackendState? Backend { get; set; }
    }
}
