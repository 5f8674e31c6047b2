namespace OneHop.Core.Concurrency;

/// <summary>Randomness for the pickers, injected so that tests are deterministic.</summary>
internal interface IRandomSource
{
    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    int Next(int maxExclusive);

    /// <summary>A uniform double in [0, 1).</summary>
    double NextDouble();
}
