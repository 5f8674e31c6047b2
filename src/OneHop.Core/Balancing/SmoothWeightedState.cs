using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// nginx's smooth weighted round robin over one destination list: every pick adds each endpoint's weight to its
/// running value, takes the largest and subtracts the total from it. Weights 5:1:1 give A A B A C A A, exactly 5:1:1
/// in every 7 picks. Weights are read on every pick, so slow start needs no rebuild.
/// </summary>
internal sealed class SmoothWeightedState
{
    /// <summary>Bounds the random warm-up, which costs O(n) per skipped pick.</summary>
    private const int MaxWarmUpPicks = 1024;

    private readonly Lock _lock = new();
    private readonly int[] _weights;
    private readonly double[] _current;

    public SmoothWeightedState(BalancingContext context, DestinationSet destinations)
    {
        _weights = new int[destinations.Count];
        _current = new double[destinations.Count];
        var total = 0;
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] = destinations[i].Weight;
            total += _weights[i];
        }

        Ramp = new SlowStartRamp(destinations);

        // Start every replica at a random point of the sequence (Envoy seeds its EDF scheduler the same way), or
        // after each change they would all send their next request to the heaviest pod.
        var skip = total > 0 ? context.Random.Next(Math.Min(total, MaxWarmUpPicks)) : 0;
        for (var i = 0; i < skip; i++)
        {
            Next(destinations, TimeSpan.Zero, ramping: false);
        }
    }

    public SlowStartRamp Ramp { get; }

    public int Next(DestinationSet destinations, TimeSpan slowStart, bool ramping)
    {
        lock (_lock)
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
}
