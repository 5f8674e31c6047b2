using OneHop.Core.Concurrency;

namespace OneHop.Core.Tests.Balancing;

/// <summary>Reproducible randomness: the same seed gives the same picks on every run.</summary>
internal sealed class SeededRandom(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public double NextDouble() => _random.NextDouble();
}
