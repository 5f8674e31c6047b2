namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>
/// One client address's bucket of one rate, counted by every replica together. Every amount here is a level that
/// drains at the rate, as the store's does: the view (the store's level at its last answer plus what this replica
/// admitted since), what was admitted since the last sync (sent with the next, as drained by then) and what the store
/// missed while it failed. A request is admitted while the view leaves room for it under the capacity (nginx's
/// <c>limit_req</c> with <c>burst</c> and <c>nodelay</c>, as the local token bucket). The view lags one sync behind
/// what the other replicas admitted: the documented bound of going over the limit.
/// </summary>
/// <param name="refresh">How often a bucket that only refuses reads the store again (one that admits does every sync).</param>
internal sealed class SharedRateBucket(double capacity, double perSecond, TimeSpan refresh, TimeProvider time)
{
    private const double Nothing = 1e-6;

    private readonly Lock _lock = new();
    private Drained _view = new(time.GetTimestamp());
    private Drained _pending = new(time.GetTimestamp());
    private Drained _unsent = new(time.GetTimestamp());
    private long _readAt = time.GetTimestamp();
    private double _sending;
    private bool _touched;
    private bool _alone;
    private long _lastUse = time.GetTimestamp();

    /// <summary>The requests the bucket holds at most: the burst plus the request at hand.</summary>
    public double Capacity => capacity;

    /// <summary>The rate it drains at, in requests a second.</summary>
    public double PerSecond => perSecond;

    /// <summary>Admits a request when the view leaves room for it.</summary>
    public bool TryAdmit()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _lastUse = now;
            if (At(ref _view, now) + 1 > capacity + 1e-9)
            {
                // A refused client costs the store a read only now and then: its level drains here at the store's pace,
                // and what the other replicas admit meanwhile only keeps it refused longer.
                _touched |= time.GetElapsedTime(_readAt, now) >= refresh;
                return false;
            }

            _touched = true;
            _view.Level += 1;
            At(ref _pending, now);
            _pending.Level += 1;
            return true;
        }
    }

    /// <summary>Gives back an admission another limit of the same request refused (nginx spends neither then).</summary>
    public void Return()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _view.Level = Math.Max(0, At(ref _view, now) - 1);
            _pending.Level = Math.Max(0, At(ref _pending, now) - 1);
        }
    }

    /// <summary>
    /// What to add to the store now, drained as the store would have drained it (its level is read back either way);
    /// false when the bucket was not used since the last sync, which leaves it alone.
    /// </summary>
    public bool TakeForSync(out double delta)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            delta = At(ref _pending, now) + At(ref _unsent, now);
            if (!_touched && delta < Nothing)
            {
                delta = 0;
                return false;
            }

            _sending = delta;
            _pending.Level = 0;
            _unsent.Level = 0;
            _touched = false;
            return true;
        }
    }

    /// <summary>
    /// The store's level after it added what this replica sent: what every replica admitted. After the store was away
    /// this replica keeps the higher of that and its own view.
    /// </summary>
    public void Synced(double level)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var shared = level + At(ref _pending, now);
            _view.Level = _alone ? Math.Max(shared, At(ref _view, now)) : shared;
            _view.At = now;
            _readAt = now;
            _alone = false;
            _sending = 0;
        }
    }

    /// <summary>
    /// The store did not answer: the view counts on alone, as without a store, and unless the update may still land
    /// (<paramref name="resend"/> false) what was sent goes again with a later sync, draining meanwhile, at most a full
    /// bucket of it.
    /// </summary>
    public void SyncFailed(bool resend = true)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (resend)
            {
                _unsent.Level = Math.Min(capacity, At(ref _unsent, now) + _sending);
            }

            _sending = 0;
            _alone = true;
        }
    }

    /// <summary>True when the bucket is empty, has nothing to send and was not used for <paramref name="idle"/>.</summary>
    public bool IsIdle(TimeSpan idle)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            return !_touched && _sending < Nothing && At(ref _pending, now) < Nothing && At(ref _unsent, now) < Nothing
                && At(ref _view, now) < Nothing && time.GetElapsedTime(_lastUse, now) >= idle;
        }
    }

    /// <summary>Drains <paramref name="amount"/> to <paramref name="now"/> and returns what is left.</summary>
    private double At(ref Drained amount, long now)
    {
        amount.Level = Math.Max(0, amount.Level - (time.GetElapsedTime(amount.At, now).TotalSeconds * perSecond));
        amount.At = now;
        return amount.Level;
    }

    /// <summary>An amount of requests and when it was last drained.</summary>
    private struct Drained(long at)
    {
        public double Level;
        public long At = at;
    }
}
