namespace OneHop.Core.Balancing;

/// <summary>One destination list's rotation: a shared counter that starts at a random position.</summary>
internal sealed class RoundRobinState(int start, SlowStartRamp ramp)
{
    private int _next = start;

    public SlowStartRamp Ramp => ramp;

    /// <summary>The next position below <paramref name="count"/>; thread-safe, one interlocked increment.</summary>
    public int Next(int count) => (int)((uint)(Interlocked.Increment(ref _next) - 1) % (uint)count);
}
