namespace OneHop.Core.Health;

/// <summary>
/// A counter that moves whenever any endpoint's health flag changes (a probe verdict, an ejection). Each backend keeps
/// the list of endpoints it offers requests and rebuilds it only when the epoch has moved (or an ejection ran out),
/// so a request reads a ready list instead of filtering endpoints.
/// </summary>
internal sealed class HealthEpoch
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    public void Advance() => Interlocked.Increment(ref _value);
}
