namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>Where replicas add up their rates: each update adds a bucket's admissions and reads back its level.</summary>
internal interface ISharedRateStore : IDisposable
{
    /// <summary>The level of each bucket after its update, in the order given; throws when the store cannot answer.</summary>
    Task<double[]> AddAsync(IReadOnlyList<SharedRateUpdate> updates, CancellationToken cancellationToken);
}

/// <summary>Adds <paramref name="Delta"/> requests to the bucket <paramref name="Key"/>, which drains at <paramref name="PerSecond"/>.</summary>
/// <param name="Expiry">How long the store keeps the bucket unused: long enough for a full one to drain.</param>
internal readonly record struct SharedRateUpdate(string Key, double PerSecond, int Delta, TimeSpan Expiry);
