using System.Collections.Concurrent;
using System.Net;

namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>
/// One rate of one route limit (an Ingress's <c>limit-rps</c>, or its <c>limit-rpm</c>) counted with the other
/// replicas: a bucket per client address, named in the store by the limit's zone, the rate's kind and the address, so
/// every replica adds to the same key.
/// </summary>
internal sealed class SharedRateZone(SharedRateCounts counts, string name, int rate, TimeSpan per, double capacity)
{
    private readonly ConcurrentDictionary<IPAddress, SharedRateBucket> _buckets = new();
    private readonly Func<IPAddress, SharedRateBucket> _create = _ => new SharedRateBucket(capacity, rate / per.TotalSeconds, counts.Refresh, counts.Time);

    /// <summary>The store's key of this rate's buckets, without the address: prefix, zone and kind.</summary>
    public string Name => name;

    /// <summary>The limiters using the zone (guarded by the counts' lock).</summary>
    public int Users { get; set; }

    /// <summary>Whether this zone counts <paramref name="other"/>'s buckets: the same key and the same bucket.</summary>
    public bool Serves(string other, int otherRate, TimeSpan otherPer, double otherCapacity) =>
        other == name && otherRate == rate && otherPer == per && otherCapacity == capacity;

    /// <summary>The addresses counted now.</summary>
    public int Count => _buckets.Count;

    /// <summary>The bucket of <paramref name="address"/>, made on its first request.</summary>
    public SharedRateBucket For(IPAddress address) => _buckets.GetOrAdd(address, _create);

    /// <summary>The buckets used since the last sync, with what each adds to the store.</summary>
    public IEnumerable<(string Key, SharedRateBucket Bucket, int Delta, TimeSpan Window)> TakeForSync()
    {
        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.TakeForSync(out var delta, out var window))
            {
                yield return ($"{name}:{address}", bucket, delta, window);
            }
        }
    }

    /// <summary>
    /// Forgets the addresses whose buckets emptied and were not used for <paramref name="idle"/>. A request that takes
    /// such a bucket just as it goes counts on it alone: one admission the store may not get.
    /// </summary>
    public void Prune(TimeSpan idle)
    {
        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.IsIdle(idle))
            {
                _buckets.TryRemove(new KeyValuePair<IPAddress, SharedRateBucket>(address, bucket));
            }
        }
    }

    /// <summary>A limiter using the zone is disposed of: the last one's leaving stops its syncing.</summary>
    public void Close() => counts.Remove(this);
}
