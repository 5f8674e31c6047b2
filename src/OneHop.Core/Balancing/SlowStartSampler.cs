using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// Slow start for round robin and random, which do not compare endpoints: a candidate is kept with probability
/// factor / largest factor; a rejected one is replaced by a uniformly random endpoint that must pass the same test.
/// An endpoint's share is then exactly proportional to its factor (for round robin too: g/n kept from its own turns
/// plus its part of the redraws makes g / (n − 1 + g)), and the turns a ramping pod gives up are spread over all the
/// others instead of landing on its neighbour in the rotation.
/// </summary>
internal static class SlowStartSampler
{
    /// <summary>Bounds the work per pick; after this many rejections the last candidate is taken.</summary>
    private const int MaxDraws = 16;

    public static Destination Admit(BalancingContext context, DestinationSet destinations, Destination candidate, TimeSpan window, double maxFactor)
    {
        var random = context.Random;
        for (var draw = 1; draw < MaxDraws; draw++)
        {
            var share = candidate.Runtime.SlowStartFactor(window) / maxFactor;
            if (share >= 1 || random.NextDouble() < share)
            {
                return candidate;
            }

            candidate = destinations[random.Next(destinations.Count)];
        }

        return candidate;
    }
}
