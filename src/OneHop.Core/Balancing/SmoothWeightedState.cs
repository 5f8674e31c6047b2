using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// nginx's smooth weighted round robin over one destination list: every pick adds each endpoint's weight to its
/// running value, takes the largest and subtracts the total from it. Weights 5:1:1 give A A B A C A A, exactly 5:1:1
/// in every 7 picks. The sequence repeats every total-weight picks, so it is computed once per list and a pick is one
/// interlocked increment into it; only while a pod ramps up under slow start (its weight then changes with time) does
/// a pick run the O(n) step, under a lock.
/// </summary>
internal sealed class SmoothWeightedState
{
    /// <summary>The longest sequence kept (4 bytes per entry); lists with a larger total weight run the step on every pick.</summary>
    private const int MaxCycle = 1 << 16;

    private readonly Lock _lock = new();
    private readonly int[] _weights;
    private readonly double[] _current;
    private readonly int[]? _cycle;
    private int _position;

    public SmoothWeightedState(BalancingContext context, DestinationSet destinations)
    {
        _weights = new int[destinations.Count];
        _current = new double[destinations.Count];
        var total = 0L;
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] = destinations[i].Weight;
            total += _weights[i];
        }

        Ramp = new SlowStartRamp(destinations);
        if (total is > 0 and <= MaxCycle)
        {
            _cycle = new int[total];
            for (var i = 0; i < _cycle.Length; i++)
            {
                _cycle[i] = Step(destinations, TimeSpan.Zero, ramping: false);
            }
        }

        // Start every replica at a random point of the sequence (Envoy seeds its EDF scheduler the same way), or
        // after each change they would all send their next request to the heaviest pod.
        _position = total > 0 ? context.Random.Next((int)Math.Min(total, MaxCycle)) : 0;
    }

    public SlowStartRamp Ramp { get; }

    public int Next(DestinationSet destinations, TimeSpan slowStart, bool ramping)
    {
        if (!ramping && _cycle is { } cycle)
        {
            return cycle[(int)((uint)(Interlocked.Increment(ref _position) - 1) % (uint)cycle.Length)];
        }

        lock (_lock)
        {
            return Step(destinations, slowStart, ramping);
        }
    }

    /// <summary>One step of the algorithm on the running values (the caller holds the lock, or owns the state).</summary>
    private int Step(DestinationSet destinations, TimeSpan slowStart, bool ramping)
    {
        var best = 0;
        var total = 0.0;
        for (var i = 0; i < _current.Length; i++)
        {
            double weight = _weights[i];
            if (ramping)
            {
                weight *= destinations[i].Runtime.SlowStartFactor(slowStart);
            }

            _current[i] += weight;
            total += weight;
            if (_current[i] > _current[best])
            {
                best = i;
            }
        }

        _current[best] -= total;
        return best;
    }
}
