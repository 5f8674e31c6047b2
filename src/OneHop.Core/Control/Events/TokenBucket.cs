namespace OneHop.Core.Control.Events;

/// <summary>
/// A token bucket on an injected clock: holds at most <c>capacity</c> tokens, starts full and gains one every
/// <c>interval</c>. Not thread-safe: the Event recorder's single loop owns its buckets.
/// </summary>
internal sealed class TokenBucket(int capacity, TimeSpan interval, TimeProvider time)
{
    private double _tokens = capacity;
    private DateTimeOffset _updated = time.GetUtcNow();

    /// <summary>True when the bucket is full again: it remembers nothing a fresh one would not.</summary>
    public bool IsFull
    {
        get
        {
            Refill();
            return _tokens >= capacity;
        }
    }

    /// <summary>True when a token is there to take (without taking it).</summary>
    public bool HasToken
    {
        get
        {
            Refill();
            return _tokens >= 1;
        }
    }

    public bool TryTake()
    {
        Refill();
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    private void Refill()
    {
        var now = time.GetUtcNow();
        if (now > _updated)
        {
            _tokens = Math.Min(capacity, _tokens + ((now - _updated) / interval));
            _updated = now;
        }
    }
}
