namespace OneHop.Core.Concurrency;

/// <summary>Exponential backoff with full jitter (AWS architecture blog): a random wait in [0, min(max, base·2ⁿ)].</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan maximum, IRandomSource random)
{
    private int _failures;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(maximum.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30)));
        _failures++;
        return TimeSpan.FromMilliseconds(Math.Max(initial.TotalMilliseconds / 2, random.NextDouble() * ceiling));
    }

    public void Reset() => _failures = 0;
}
