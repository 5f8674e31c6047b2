using OneHop.Core.Concurrency;

namespace OneHop.Core.Balancing;

/// <summary>
/// What pickers need besides the destinations and the request: time (slow start, latency decay) and randomness —
/// both injected, so pickers are deterministic under test. Everything about an endpoint is on its <see cref="Health.Destination"/>.
/// </summary>
internal sealed class BalancingContext(TimeProvider time, IRandomSource random)
{
    public TimeProvider Time => time;

    public IRandomSource Random => random;
}
