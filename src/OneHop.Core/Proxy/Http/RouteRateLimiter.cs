using System.Net;
using System.Threading.RateLimiting;
using OneHop.Core.Proxy.Http.SharedRates;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// A route's per-client-address limits at run time, on System.Threading.RateLimiting: a token bucket per address for
/// each rate, refilled continuously by the partitioned limiter's own 100 ms tick (no timer per address), and a
/// concurrency limiter per address for requests in progress. Kept across snapshots while the route's limits are the
/// same, so a new snapshot does not hand every client a fresh burst. With <c>limits.sharedRates</c> the rates are
/// counted with the other replicas instead (<see cref="SharedRateCounts"/>); requests in progress stay per replica.
/// </summary>
internal sealed class RouteRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _perSecond;
    private readonly PartitionedRateLimiter<IPAddress>? _perMinute;
    private readonly PartitionedRateLimiter<IPAddress>? _inProgress;
    private readonly SharedRateZone? _sharedPerSecond;
    private readonly SharedRateZone? _sharedPerMinute;
    private readonly RouteSourceRanges? _exempt;

    public RouteRateLimiter(RouteRateLimit limit, SharedRateCounts? shared = null)
    {
        Limit = limit;
        if (shared is null)
        {
            _perSecond = limit.RequestsPerSecond > 0 ? Rate(limit.RequestsPerSecond, TimeSpan.FromSeconds(1), limit.BurstMultiplier) : null;
            _perMinute = limit.RequestsPerMinute > 0 ? Rate(limit.RequestsPerMinute, TimeSpan.FromMinutes(1), limit.BurstMultiplier) : null;
        }
        else
        {
            _sharedPerSecond = limit.RequestsPerSecond > 0 ? shared.Zone(limit.Zone, "s", limit.RequestsPerSecond, TimeSpan.FromSeconds(1), Capacity(limit.RequestsPerSecond, limit.BurstMultiplier)) : null;
            _sharedPerMinute = limit.RequestsPerMinute > 0 ? shared.Zone(limit.Zone, "m", limit.RequestsPerMinute, TimeSpan.FromMinutes(1), Capacity(limit.RequestsPerMinute, limit.BurstMultiplier)) : null;
        }

        _inProgress = limit.Connections > 0
            ? PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetConcurrencyLimiter(
                address,
                _ => new ConcurrencyLimiterOptions { PermitLimit = limit.Connections, QueueLimit = 0 }))
            : null;
        _exempt = limit.Exempt.IsEmpty ? null : new RouteSourceRanges(limit.Exempt, []);
    }

    public RouteRateLimit Limit { get; }

    /// <summary>
    /// True when <paramref name="address"/> may send this request now; <paramref name="inProgress"/> is then the permit
    /// to dispose of when the request ends (null when concurrency is not limited). Otherwise <paramref name="status"/>
    /// is what to answer: the status of the limit that refused it.
    /// </summary>
    public bool TryAcquire(IPAddress? address, out RateLimitLease? inProgress, out int status)
    {
        inProgress = null;
        status = 0;
        address ??= IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (_exempt?.Permits(address) == true)
        {
            return true;
        }

        try
        {
            if (_inProgress is not null)
            {
                inProgress = _inProgress.AttemptAcquire(address);
                if (!inProgress.IsAcquired)
                {
                    inProgress.Dispose();
                    inProgress = null;
                    status = Limit.ConnectionsStatus;
                    return false;
                }
            }

            // Both rates apply, as nginx's two limit_req lines; a request one refuses does not spend the other's token.
            if (!Admits(_perSecond, address) || !Admits(_perMinute, address) || !AdmitsShared(address))
            {
                inProgress?.Dispose();
                inProgress = null;
                status = Limit.RateStatus;
                return false;
            }

            return true;
        }
        catch (ObjectDisposedException)
        {
            // A snapshot with other limits replaced this one while the request was on its way: the new limits count from
            // the next request on; this one is not refused for a limit that no longer exists.
            inProgress = null;
            return true;
        }
    }

    public void Dispose()
    {
        _perSecond?.Dispose();
        _perMinute?.Dispose();
        _inProgress?.Dispose();
        _sharedPerSecond?.Close();
        _sharedPerMinute?.Close();
    }

    /// <summary>Both shared rates admit the request; one refused gives the other's admission back.</summary>
    private bool AdmitsShared(IPAddress address)
    {
        var second = _sharedPerSecond?.For(address);
        if (second?.TryAdmit() == false)
        {
            return false;
        }

        if (_sharedPerMinute?.For(address).TryAdmit() == false)
        {
            second?.Return();
            return false;
        }

        return true;
    }

    /// <summary>The token bucket's size: the burst (rate × multiplier) and the request at hand.</summary>
    private static int Capacity(int rate, int burstMultiplier) => (int)Math.Min(int.MaxValue, ((long)rate * burstMultiplier) + 1);

    private static bool Admits(PartitionedRateLimiter<IPAddress>? limiter, IPAddress address)
    {
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    /// <summary>
    /// nginx's <c>limit_req ... burst=rate*multiplier nodelay</c>: a bucket of that burst plus the request at hand, refilled
    /// at the rate. Not auto-replenished, so the partitioned limiter's one tick refills every address's bucket.
    /// </summary>
    private static PartitionedRateLimiter<IPAddress> Rate(int rate, TimeSpan per, int burstMultiplier) =>
        PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(
            address,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Capacity(rate, burstMultiplier),
                TokensPerPeriod = rate,
                ReplenishmentPeriod = per,
                QueueLimit = 0,
                AutoReplenishment = false,
            }));
}
