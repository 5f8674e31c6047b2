using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// The full scan behind <c>least-connections</c> (IPVS wlc: in flight / weight) and <c>sed</c> (IPVS: (in flight + 1)
/// / weight). Ties go to one of the tied endpoints at random in proportion to effective weight, so that weights and
/// slow start still count when everything is idle and every score is equal.
/// </summary>
internal static class LeastLoaded
{
    /// <param name="queued">Added to each endpoint's in-flight count: 0 for least connections, 1 for the expected delay of one more request.</param>
    public static Destination? Pick(BalancingContext context, DestinationSet destinations, TimeSpan slowStart, int queued)
    {
        Destination? best = null;
        var bestScore = double.PositiveInfinity;
        var tiedWeight = 0.0;
        for (var i = 0; i < destinations.Count; i++)
        {
            var destination = destinations[i];
            var runtime = destination.Runtime;
            var weight = EffectiveWeight.Of(destination, slowStart);
            var score = (runtime.InFlight + queued) / weight;
            if (score < bestScore)
            {
                (best, bestScore, tiedWeight) = (destination, score, weight);
            }
            else if (score == bestScore)
            {
                // Weighted reservoir sampling: each tied endpoint ends up chosen with probability weight / total.
                tiedWeight += weight;
                if (context.Random.NextDouble() * tiedWeight < weight)
                {
                    best = destination;
                }
            }
        }

        return best;
    }
}
