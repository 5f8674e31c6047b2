using System.Net;
using System.Threading.RateLimiting;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// A route's per-client-address limits at run time, on System.Threading.RateLimiting: a token bucket per address for
/// each rate, refilled continuously by the partitioned limiter's own 100 ms tick (no timer per address), and a
/// concurrency limiter per address for requests in progress. Kept across snapshots while the route's limits are the
/// same, so a new snapshot does not hand every client a fresh burst.
/// </summary>
internal sealed class RouteRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _perSecond;
    private readonly PartitionedRateLimiter<IPAddress>? _perMinute;
    private readonly PartitionedRateLimiter<IPAddress>? _inProgress;
    private readonly RouteSourceRanges? _exempt;

    public RouteRateLimiter(RouteRateLimit limit)
    {
        Limit = limit;
        _perSecond = limit.RequestsPerSecond > 0 ? Rate(limit.RequestsPerSecond, TimeSpan.FromSeconds(1), limit.BurstMultiplier) : null;
        _perMinute = limit.RequestsPerMinute > 0 ? Rate(limit.RequestsPerMinute, TimeSpan.FromMinutes(1), limit.BurstMultiplier) : null;
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
            if (!Admits(_perSecond, address) || !Admits(_perMinute, address))
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
    }

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
                TokenLimit = (int)Math.Min(int.MaxValue, ((long)rate * burstMultiplier) + 1),
                TokensPerPeriod = rate,
                ReplenishmentPeriod = per,
                QueueLimit = 0,
                AutoReplenishment = false,
            }));
}
