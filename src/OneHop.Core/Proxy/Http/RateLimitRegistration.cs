using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Proxy.Http;

/// <summary>The per-client-address rate limit, on ASP.NET Core's rate limiter: a token bucket per address, 429 beyond.</summary>
internal static class RateLimitRegistration
{
    public static IServiceCollection AddOneHopRateLimit(this IServiceCollection services, RateLimitConfig rate) => services.AddRateLimiter(options =>
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;

        // Refilled every 100 ms rather than once a second, so a client at its rate is not refused in bursts.
        var perTenth = Math.Max(1, rate.RequestsPerSecond / 10);
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, System.Net.IPAddress>(context =>
            RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(rate.Burst, perTenth),
                    TokensPerPeriod = perTenth,
                    ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
    });
}
