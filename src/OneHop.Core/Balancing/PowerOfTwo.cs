using OneHop.Core.Concurrency;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// The core of power of two choices (Mitzenmacher): two distinct endpoints drawn at random, the cheaper one wins.
/// Shared by <c>p2c</c>, <c>peak-ewma</c> and the fallbacks of <c>maglev</c> and <c>cookie</c>.
/// </summary>
internal static class PowerOfTwo
{
    /// <summary>Two distinct indexes below <paramref name="count"/> (at least 2), uniformly.</summary>
    public static void Candidates(IRandomSource random, int count, out int first, out int second)
    {
        first = random.Next(count);
        second = random.Next(count - 1);
        if (second >= first)
        {
            second++;
        }
    }

    /// <summary>The less loaded of two: lower (in flight + 1) / effective weight; a tie goes to the first, itself random.</summary>
    public static Destination? PickByLoad(BalancingContext context, DestinationSet destinations, TimeSpan slowStart)
    {
        if (destinations.Count <= 1)
        {
            return destinations.Count == 0 ? null : destinations[0];
        }

        Candidates(context.Random, destinations.Count, out var i, out var j);
        var first = destinations[i];
        var second = destinations[j];
        return LoadCost(second, slowStart) < LoadCost(first, slowStart) ? second : first;
    }

    private static double LoadCost(Destination destination, TimeSpan slowStart) =>
        (destination.Runtime.InFlight + 1) / EffectiveWeight.Of(destination, slowStart);
}
