using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.Http;

/// <summary>The per-client-address rate limit, on ASP.NET Core's rate limiter: a token bucket per address, 429 beyond.</summary>
internal static class RateLimitRegistration
{
    public static IServiceCollection AddOneHopRateLimit(this IServiceCollection services, RateLimitConfig rate) => services.AddRateLimiter(options =>
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;

        var (period, tokens) = Refill(rate.RequestsPerSecond);
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, System.Net.IPAddress>(context =>
            RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(rate.Burst, tokens),
                    TokensPerPeriod = tokens,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
    });

    /// <summary>
    /// How the bucket refills at exactly <paramref name="requestsPerSecond"/>: one token every 1/rate seconds up to
    /// 100/s; above, the shortest period of at least 10 ms holding a whole number of tokens, so the limiter's timer
    /// stays cheap and a client at its rate is not refused in bursts.
    /// </summary>
    internal static (TimeSpan Period, int Tokens) Refill(int requestsPerSecond)
    {
        if (requestsPerSecond <= 100)
        {
            return (TimeSpan.FromTicks(TimeSpan.TicksPerSecond / requestsPerSecond), 1);
        }

        var divisor = (int)System.Numerics.BigInteger.GreatestCommonDivisor(requestsPerSecond, 100);
        return (TimeSpan.FromTicks(TimeSpan.TicksPerSecond / divisor), requestsPerSecond / divisor);
    }
}
