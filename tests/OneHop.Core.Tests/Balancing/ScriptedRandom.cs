using OneHop.Core.Concurrency;

namespace OneHop.Core.Tests.Balancing;

/// <summary>Randomness that answers from a script, in order, repeating it when it runs out.</summary>
internal sealed class ScriptedRandom(int[] integers, double[]? doubles = null) : IRandomSource
{
    private readonly double[] _doubles = doubles ?? [0.5];
    private int _nextInteger;
    private int _nextDouble;

    public int Next(int maxExclusive)
    {
        var value = integers[_nextInteger++ % integers.Length];
        Assert.InRange(value, 0, maxExclusive - 1);
        return value;
    }

    public double NextDouble() => _doubles[_nextDouble++ % _doubles.Length];
}
