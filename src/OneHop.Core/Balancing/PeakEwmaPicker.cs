using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>peak-ewma</c> (Finagle, Linkerd): the cheapest pod by cost = peak-EWMA latency × (in flight + 1) / effective
/// weight — the expected wait at each pod, so a pod that turns slow loses traffic within a few responses, and one
/// slow because it is busy is seen as busy. An idle pod's estimate decays
/// (<see cref="Health.EndpointRuntime.TryGetLatency"/>) so it is retried. The data plane feeds the estimate after
/// each response.
/// </summary>
/// <remarks>
/// <para>
/// A pod without a response yet is priced at the mean estimate of the pods compared with it (at
/// <see cref="PeakEwmaDefaults.InitialLatency"/> if none has answered either): it does not look free, which would
/// draw every request, nor is it shunned until a default decays, which would keep a new pod idle for tens of
/// seconds beside fast ones. Its first response replaces the stand-in.
/// </para>
/// <para>
/// Up to <see cref="FullScanLimit"/> pods every one is compared; above, the cheaper of two drawn at random (P2C).
/// P2C alone hands the pair of the two worst pods a 1 / C(n, 2) share of the picks, which goes to the less bad of
/// them: 10% of the traffic to a slow pod when one of five is slow and another failing (measured, bench/RESULTS.md).
/// The costs are this process's own live figures, not stale reports, so comparing all of a small pool does not herd;
/// above the limit the scan costs more than the worst pair's share (under 1/120) loses.
/// </para>
/// </remarks>
internal sealed class PeakEwmaPicker(BalancingContext balancing) : IEndpointPicker
{
    /// <summary>The largest pool compared in full.</summary>
    internal const int FullScanLimit = 16;

    private static readonly double InitialSeconds = PeakEwmaDefaults.InitialLatency.TotalSeconds;

    public string Name => BalancingAlgorithms.PeakEwma;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request)
    {
        var count = availableDestinations.Count;
        if (count <= 1)
        {
            return count == 0 ? null : availableDestinations[0];
        }

        var policy = backend.Policy;
        Span<int> candidates = stackalloc int[FullScanLimit];
        if (count <= FullScanLimit)
        {
            for (var i = 0; i < count; i++)
            {
                candidates[i] = i;
            }

            candidates = candidates[..count];
        }
        else
        {
            PowerOfTwo.Candidates(balancing.Random, count, out candidates[0], out candidates[1]);
            candidates = candidates[..2];
        }

        return Cheapest(availableDestinations, candidates, policy.SlowStart, policy.EwmaDecay);
    }

    /// <summary>
    /// The cheapest candidate by latency × (in flight + 1) / effective weight; each pod's state is read once. Equal
    /// costs (every pod new, or idle at the same estimate) are split at random.
    /// </summary>
    private Destination Cheapest(DestinationSet destinations, ReadOnlySpan<int> candidates, TimeSpan slowStart, TimeSpan decay)
    {
        Span<double> latencies = stackalloc double[candidates.Length];
        Span<double> loads = stackalloc double[candidates.Length];
        var (sum, known) = (0.0, 0);
        for (var k = 0; k < candidates.Length; k++)
        {
            var destination = destinations[candidates[k]];
            var runtime = destination.Runtime;
            loads[k] = (runtime.InFlight + 1) / EffectiveWeight.Of(destination, slowStart);
            latencies[k] = runtime.TryGetLatency(decay, out var seconds) ? seconds : double.NaN;
            if (!double.IsNaN(latencies[k]))
            {
                (sum, known) = (sum + seconds, known + 1);
            }
        }

        var standIn = known > 0 ? sum / known : InitialSeconds;
        var best = 0;
        var bestCost = double.PositiveInfinity;
        var ties = 0;
        for (var k = 0; k < candidates.Length; k++)
        {
            var cost = (double.IsNaN(latencies[k]) ? standIn : latencies[k]) * loads[k];
            if (cost < bestCost)
            {
                (best, bestCost, ties) = (k, cost, 1);
            }
            else if (cost == bestCost && balancing.Random.Next(++ties) == 0)
            {
                // Reservoir sampling: each of the tied pods ends up chosen with probability 1 / ties.
                best = k;
            }
        }

        return destinations[candidates[best]];
    }
}
