using OneHop.Core.Concurrency;
using Yarp.ReverseProxy.Model;

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
    public static DestinationState? PickByLoad(BalancingContext context, IReadOnlyList<DestinationState> destinations, TimeSpan slowStart)
    {
        if (destinations.Count <= 1)
        {
            return destinations.Count == 0 ? null : destinations[0];
        }

        Candidates(context.Random, destinations.Count, out var i, out var j);
        var first = destinations[i];
        var second = destinations[j];
        return LoadCost(context, second, slowStart) < LoadCost(context, first, slowStart) ? second : first;
    }

    private static double LoadCost(BalancingContext context, DestinationState destination, TimeSpan slowStart)
    {
        var runtime = context.RuntimeOf(destination);
        return (runtime.InFlight + 1) / EffectiveWeight.Of(context, destination, runtime, slowStart);
    }
}
