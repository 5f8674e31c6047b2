namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>
/// One client address's bucket of one rate, counted by every replica together. The view is the store's level at its
/// last answer plus what this replica admitted since, draining at the rate as the store's level does (the bucket drains
/// once, whoever fills it); a request is admitted while the view leaves room for it under the capacity (nginx's
/// <c>limit_req</c> with <c>burst</c> and <c>nodelay</c>, as the local token bucket). What was admitted since the last
/// sync goes to the store as a count with the time it covers, which the store drains it over. The view lags one sync
/// behind what the other replicas admitted: the documented bound of going over the limit.
/// </summary>
/// <param name="refresh">How often a bucket that only refuses reads the store again (one that admits does every sync).</param>
internal sealed class SharedRateBucket(double capacity, double perSecond, TimeSpan refresh, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _view;
    private long _viewAt = time.GetTimestamp();
    private int _pending;
    private long _windowStart = time.GetTimestamp();
    private int _sending;
    private long _sendingStart;
    private long _readAt = time.GetTimestamp();
    private bool _touched;
    private bool _alone;
    private long _lastUse = time.GetTimestamp();

    /// <summary>The rate it drains at, in requests a second.</summary>
    public double PerSecond => perSecond;

    /// <summary>Admits a request when the view leaves room for it.</summary>
    public bool TryAdmit()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _lastUse = now;
            if (ViewAt(now) + 1 > capacity + 1e-9)
            {
                // A refused client costs the store a read only now and then: its level drains here at the store's pace,
                // and what the other replicas admit meanwhile only keeps it refused longer.
                _touched |= time.GetElapsedTime(_readAt, now) >= refresh;
                return false;
            }

            _touched = true;
            _view += 1;
            _pending++;
            return true;
        }
    }

    /// <summary>Gives back an admission another limit of the same request refused (nginx spends neither then).</summary>
    public void Return()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _view = Math.Max(0, ViewAt(now) - 1);
            if (_pending > 0)
            {
                _pending--; // taken by a sync meanwhile: that one request stays counted (rare, and one request)
            }
        }
    }

    /// <summary>
    /// The admissions to add to the store now and the time they cover (its level is read back either way); false when
    /// the bucket was not used since the last sync, which leaves it alone.
    /// </summary>
    public bool TakeForSync(out int delta, out TimeSpan window)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            delta = 0;
            window = default;
            if (!_touched && _pending == 0)
            {
                return false;
            }

            delta = _pending;
            window = time.GetElapsedTime(_windowStart, now);
            _sending = delta;
            _sendingStart = _windowStart;
            _windowStart = now;
            _pending = 0;
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
            var shared = level + _pending;
            _view = _alone ? Math.Max(shared, ViewAt(now)) : shared;
            _viewAt = now;
            _readAt = now;
            _alone = false;
            _sending = 0;
        }
    }

    /// <summary>
    /// The store did not answer: the view counts on alone, as without a store, and unless the update may still land
    /// (<paramref name="resend"/> false) what was sent goes again with the next sync, over the time since it was first
    /// counted (at most a full bucket of it).
    /// </summary>
    public void SyncFailed(bool resend = true)
    {
        lock (_lock)
        {
            if (resend && _sending > 0)
            {
                _pending = (int)Math.Min(capacity, _pending + _sending);
                _windowStart = _sendingStart;
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
            return !_touched && _sending == 0 && _pending == 0 && ViewAt(now) <= 0 && time.GetElapsedTime(_lastUse, now) >= idle;
        }
    }

    private double ViewAt(long now)
    {
        _view = Math.Max(0, _view - (time.GetElapsedTime(_viewAt, now).TotalSeconds * perSecond));
        _viewAt = now;
        return _view;
    }
}
