namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>Where replicas add up their rates: each update adds a bucket's admissions and reads back its level.</summary>
internal interface ISharedRateStore : IDisposable
{
    /// <summary>
    /// Each bucket's answer, in the order given: its level after the update, or failed (that bucket alone); throws when
    /// the store cannot be reached at all.
    /// </summary>
    Task<SharedRateAnswer[]> AddAsync(IReadOnlyList<SharedRateUpdate> updates, CancellationToken cancellationToken);

    /// <summary>Asks the store whether it answers, when there is nothing to sync; throws when it does not.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Adds <paramref name="Delta"/> requests, admitted over the last <paramref name="Window"/>, to the bucket
/// <paramref name="Key"/>, which drains at <paramref name="PerSecond"/> once in all, however many replicas add to it.
/// </summary>
internal readonly record struct SharedRateUpdate(string Key, double PerSecond, int Delta, TimeSpan Window);

/// <summary>
/// A bucket's level as the store gives it after an update; <see cref="Ok"/> false when that update failed, and then
/// <see cref="MayLand"/> when it may still be applied (it timed out rather than being refused), so it is not sent again.
/// </summary>
internal readonly record struct SharedRateAnswer(bool Ok, double Level, bool MayLand = false)
{
    public static readonly SharedRateAnswer Failed = new(false, 0);

    public static readonly SharedRateAnswer TimedOut = new(false, 0, MayLand: true);
}
