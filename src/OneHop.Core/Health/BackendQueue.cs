using System.Collections.Immutable;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Health;

/// <summary>
/// A backend's per-endpoint cap and its queue (<see cref="ConcurrencyLimit"/>): how many of the backend's requests (TCP:
/// connections) each endpoint carries now, and the requests that found every candidate full, in arrival order. A slot
/// that frees goes straight to the first waiter that may use it, and a newcomer is served only after the waiters had
/// their pick of any room, so nobody overtakes the queue (HAProxy's pendconn hand-off). Kept by the data plane across
/// snapshots, like the retry budget, so the counts of requests in flight survive a swap; waiters are granted from the
/// backend's state in force (<see cref="Serve"/>), so a pod that joins while they wait serves them at once.
/// </summary>
/// <remarks>
/// One lock per backend, taken only by capped backends: twice per request (take, release), and for each waiter. Whoever
/// takes a waiter off the list under the lock decides its end (a grant, its timeout, its client gone), so the three
/// never race. The counts are the backend's own (HAProxy's server maxconn counts its backend's connections), not the
/// pod's across backends, so a slot is released where it was taken whatever snapshot is in force by then.
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
    /// room (a full pod's share spills, as Maglev's bounded load does), or when those are all full and zone preference
    /// narrowed them, on the least busy endpoint with room in another zone; null when every one is full. Waiters are
    /// given any room first (an endpoint back from ejection, a raised cap: room no release announced).
    /// </summary>
    public Destination? TryTake(Destination picked, DestinationSet candidates, int cap)
    {
        lock (_lock)
        {
            // Whatever room is left after this is room no waiter may use (a retry's pods it tried).
            DispatchLocked();
            var chosen = _inUse.GetValueOrDefault(picked.Runtime) < cap ? picked
                : LeastBusyLocked(candidates.Items, cap, tried: null) ?? ElsewhereLocked(candidates, cap, tried: null);
            if (chosen is not null)
            {
                TakeLocked(chosen);
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

            DispatchLocked();
        }
    }

    /// <summary>
    /// Waits, behind those already waiting, for a slot on an endpoint not in <paramref name="tried"/>. The grant is
    /// counted already and names the backend state it came from; Full when the queue is at its size, TimedOut after the
    /// cap's queue timeout. Canceled when <paramref name="cancellationToken"/> ends the wait first.
    /// </summary>
    public Task<QueueTicket> WaitAsync(IReadOnlyCollection<Destination>? tried, CancellationToken cancellationToken)
    {
        Waiter waiter;
        TimeSpan timeout;
        lock (_lock)
        {
            var limit = _current?.Policy.Concurrency;
            if (limit is not { Enabled: true })
            {
                // The cap went away with a snapshot: nothing to wait for.
                return Task.FromResult(new QueueTicket(QueueOutcome.Granted, _current, null));
            }

            if (_waiters.Count >= limit.QueueSize)
            {
                return Task.FromResult(new QueueTicket(QueueOutcome.Full, null, null));
            }

            waiter = new Waiter(this, tried);
            waiter.Node = _waiters.AddLast(waiter);

            // A slot may have been given back between the caller's TryTake and now, with nobody in the queue to take it.
            DispatchLocked();
            if (waiter.Task.IsCompleted)
            {
                return waiter.Task;
            }

            timeout = limit.QueueTimeout;
        }

        waiter.Arm(time, timeout, cancellationToken);
        return waiter.Task;
    }

    /// <summary>Ends a waiter's wait with <paramref name="outcome"/> (its timeout) or its cancellation, unless it was granted first.</summary>
    private void GiveUp(Waiter waiter, QueueOutcome? outcome, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node.List is null)
            {
                return; // granted already
            }

            _waiters.Remove(waiter.Node);
            _waiting = _waiters.Count;
            if (outcome is { } ended)
            {
                waiter.TrySetResult(new QueueTicket(ended, null, null));
            }
            else
            {
                waiter.TrySetCanceled(cancellationToken);
            }
        }

        waiter.Disarm();
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
        var set = cap > 0 ? state!.Available() : DestinationSet.Empty;
        var available = set.Items;
        for (var node = _waiters.First; node is not null;)
        {
            var next = node.Next;
            var waiter = node.Value;
            Destination? granted = null;
            if (cap > 0)
            {
                granted = LeastBusyLocked(available, cap, waiter.Tried) ?? ElsewhereLocked(set, cap, waiter.Tried);
                if (granted is null)
                {
                    if (waiter.Tried is null or { Count: 0 })
                    {
                        break; // no room for anyone
                    }

                    node = next;
                    continue;
                }

                TakeLocked(granted);
            }

            _waiters.Remove(node);
            waiter.TrySetResult(new QueueTicket(QueueOutcome.Granted, state, granted));
            waiter.Disarm();
            node = next;
        }

        _waiting = _waiters.Count;
    }

    /// <summary>
    /// The least busy endpoint with room outside <paramref name="candidates"/> when zone preference narrowed them to
    /// this replica's zone: full local pods never make a request wait while another zone's have room.
    /// </summary>
    private Destination? ElsewhereLocked(DestinationSet candidates, int cap, IReadOnlyCollection<Destination>? tried)
    {
        var anywhere = _current?.AvailableAnywhere();
        return anywhere is null || ReferenceEquals(anywhere, candidates) || anywhere.Items.Length == candidates.Items.Length
            ? null
            : LeastBusyLocked(anywhere.Items, cap, tried);
    }

    private Destination? LeastBusyLocked(ImmutableArray<Destination> candidates, int cap, IReadOnlyCollection<Destination>? tried)
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

    /// <summary>
    /// One request in the queue: its end (granted, timed out, canceled) is its task's result; its timer and its
    /// cancellation registration are armed outside the queue's lock and disarmed by whichever end comes first.
    /// </summary>
    private sealed class Waiter(BackendQueue queue, IReadOnlyCollection<Destination>? tried)
        : TaskCompletionSource<QueueTicket>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        // A leaf lock: never held while the queue's lock is taken, so a disarm under the queue's lock cannot deadlock.
        private readonly Lock _armLock = new();
        private ITimer? _timer;
        private CancellationTokenRegistration _registration;
        private bool _done;

        public IReadOnlyCollection<Destination>? Tried { get; } = tried;

        public LinkedListNode<Waiter> Node { get; set; } = null!;

        public void Arm(TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
        {
            // Either may end the wait at once (a token already canceled): each only takes the queue's lock.
            var timer = time.CreateTimer(static s => ((Waiter)s!).Expire(), this, timeout, Timeout.InfiniteTimeSpan);
            var registration = cancellationToken.UnsafeRegister(static (s, token) => ((Waiter)s!).Cancel(token), this);
            lock (_armLock)
            {
                (_timer, _registration) = (timer, registration);
                if (!_done)
                {
                    return;
                }
            }

            Disarm();
        }

        /// <summary>Stops the timer and the registration; neither waits for a callback under way, so it is safe under the queue's lock.</summary>
        public void Disarm()
        {
            ITimer? timer;
            CancellationTokenRegistration registration;
            lock (_armLock)
            {
                _done = true;
                (timer, registration) = (_timer, _registration);
                (_timer, _registration) = (null, default);
            }

            timer?.Dispose();
            registration.Unregister();
        }

        private void Expire() => queue.GiveUp(this, QueueOutcome.TimedOut, default);

        private void Cancel(CancellationToken token) => queue.GiveUp(this, null, token);
    }
}
