namespace OneHop.Core.Concurrency;

/// <summary>The production randomness: the runtime's thread-safe shared generator, behind the injectable seam.</summary>
internal sealed class SharedRandomSource : IRandomSource
{
    public static readonly SharedRandomSource Instance = new();

    public int Next(int maxExclusive) => Random.Shared.Next(maxExclusive);

    public double NextDouble() => Random.Shared.NextDouble();
}
