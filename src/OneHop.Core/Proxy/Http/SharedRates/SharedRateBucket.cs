namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>
/// One client address's bucket of one rate, counted by every replica together: the level the store gave at the last
/// sync (leaking at the rate since), plus what this replica admitted since then. A request is admitted while that sum
/// leaves room for it under the capacity (nginx's <c>limit_req</c> with <c>burst</c> and <c>nodelay</c>, as the local
/// token bucket). The store's level lags one sync behind what the other replicas admitted: the documented bound of
/// going over the limit.
/// </summary>
/// <param name="refresh">How often a bucket that only refuses reads the store again (one that admits does every sync).</param>
internal sealed class SharedRateBucket(double capacity, double perSecond, TimeSpan refresh, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _level;
    private long _levelAt = time.GetTimestamp();
    private int _pending;
    private int _sending;
    private bool _touched;
    private bool _alone;
    private double _unsent;
    private long _unsentAt = time.GetTimestamp();
    private int _resending;
    private long _lastUse = time.GetTimestamp();

    /// <summary>The requests the bucket holds at most: the burst plus the request at hand.</summary>
    public double Capacity => capacity;

    /// <summary>The rate it drains at, in requests a second.</summary>
    public double PerSecond => perSecond;

    /// <summary>Admits a request when the shared level and this replica's unsent admissions leave room for it.</summary>
    public bool TryAdmit()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _lastUse = now;
            if (LevelAt(now) + _pending + _sending + 1 > capacity + 1e-9)
            {
                // A refused client costs the store a read only now and then: its level leaks here at the store's pace,
                // and what the other replicas admit meanwhile only keeps it refused longer.
                _touched |= time.GetElapsedTime(_levelAt, now) >= refresh;
                return false;
            }

            _touched = true;
            _pending++;
            return true;
        }
    }

    /// <summary>Gives back an admission another limit of the same request refused (nginx spends neither then).</summary>
    public void Return()
    {
        lock (_lock)
        {
            if (_pending > 0)
            {
                _pending--;
            }
        }
    }

    /// <summary>
    /// The admissions to add to the store now (its level is read back either way); false when the bucket was not used
    /// since the last sync, which leaves it alone.
    /// </summary>
    public bool TakeForSync(out int delta)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            delta = 0;
            var unsent = UnsentAt(now);
            if (!_touched && _pending == 0 && unsent < 1)
            {
                return false;
            }

            // What the store missed while it failed goes with this sync, as much of it as has not drained since.
            _resending = (int)Math.Floor(unsent);
            _unsent = unsent - _resending;
            _unsentAt = now;
            delta = _pending + _resending;
            _sending += _pending;
            _pending = 0;
            _touched = false;
            return true;
        }
    }

    /// <summary>
    /// The store's level after it added <paramref name="delta"/>: what every replica admitted. After the store was away
    /// this replica keeps the higher of that and its own count, which the store never got.
    /// </summary>
    public void Synced(int delta, double level)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _sending -= delta - _resending;
            _level = _alone ? Math.Max(level, LevelAt(now) + delta - _resending) : level;
            _levelAt = now;
            _alone = false;
            _resending = 0;
        }
    }

    /// <summary>
    /// The store did not answer: <paramref name="delta"/> stays counted here alone, as without a store, and is sent
    /// with a later sync, draining meanwhile at the rate and at most a full bucket of it.
    /// </summary>
    public void SyncFailed(int delta)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _sending -= delta - _resending;
            _level = LevelAt(now) + delta - _resending;
            _levelAt = now;
            _unsent = Math.Min(capacity, UnsentAt(now) + delta);
            _unsentAt = now;
            _alone = true;
            _resending = 0;
        }
    }

    /// <summary>True when the bucket is empty, has nothing to send and was not used for <paramref name="idle"/>.</summary>
    public bool IsIdle(TimeSpan idle)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            return _pending == 0 && _sending == 0 && !_touched && UnsentAt(now) < 1 && LevelAt(now) <= 0 && time.GetElapsedTime(_lastUse, now) >= idle;
        }
    }

    private double UnsentAt(long now) => Math.Max(0, _unsent - (time.GetElapsedTime(_unsentAt, now).TotalSeconds * perSecond));

    private double LevelAt(long now) => Math.Max(0, _level - (time.GetElapsedTime(_levelAt, now).TotalSeconds * perSecond));
}
