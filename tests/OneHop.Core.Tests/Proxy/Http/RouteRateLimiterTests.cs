using System.Net;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>
/// A route's per-address limits: the burst nginx's <c>burst=rate*multiplier nodelay</c> lets through at once, then
/// refusal; each address counted apart; the allow list never limited; requests in progress counted until released.
/// Rates per minute, so that no refill can land within a test.
/// </summary>
public sealed class RouteRateLimiterTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.1");

    [Fact]
    public void A_rate_lets_its_burst_and_one_more_through_at_once_then_refuses()
    {
        using var limiter = new RouteRateLimiter(new RouteRateLimit(0, 2, 0, 3, []));
        Assert.Equal(7, Admitted(limiter, Client, 20)); // 2 * 3 + 1, as nginx counts excess
        Assert.Equal(7, Admitted(limiter, IPAddress.Parse("192.0.2.2"), 20)); // another address has its own bucket
        Assert.Equal(0, Admitted(limiter, Client, 5));
    }

    [Fact]
    public void An_address_of_the_allow_list_is_never_limited()
    {
        using var limiter = new RouteRateLimiter(new RouteRateLimit(0, 1, 0, 1, ["192.0.2.0/24"]));
        Assert.Equal(50, Admitted(limiter, Client, 50));
        Assert.Equal(2, Admitted(limiter, IPAddress.Parse("198.51.100.1"), 50));
        Assert.Equal(50, Admitted(limiter, IPAddress.Parse("::ffff:192.0.2.9"), 50)); // a dual-stack socket's IPv4 client
    }

    [Fact]
    public void Requests_in_progress_are_counted_until_each_ends()
    {
        using var limiter = new RouteRateLimiter(new RouteRateLimit(0, 0, 2, 5, []));
        Assert.True(limiter.TryAcquire(Client, out var first, out _));
        Assert.True(limiter.TryAcquire(Client, out var second, out _));
        Assert.False(limiter.TryAcquire(Client, out var refused, out _));
        Assert.Null(refused);
        Assert.True(limiter.TryAcquire(IPAddress.Parse("192.0.2.2"), out var other, out _));
        first!.Dispose();
        Assert.True(limiter.TryAcquire(Client, out var third, out _));
        second!.Dispose();
        third!.Dispose();
        other!.Dispose();
    }

    /// <summary>limit-req-status-code and limit-conn-status-code: each refusal answers with the status of the limit that refused it.</summary>
    [Fact]
    public void A_refusal_names_the_status_of_the_limit_that_refused()
    {
        using var limiter = new RouteRateLimiter(new RouteRateLimit(0, 1, 1, 1, []) { RateStatus = 429, ConnectionsStatus = 409 });
        Assert.True(limiter.TryAcquire(Client, out var held, out _));
        Assert.False(limiter.TryAcquire(Client, out _, out var byConnections));
        Assert.Equal(409, byConnections);
        held!.Dispose();

        Assert.True(limiter.TryAcquire(Client, out var second, out _)); // the rate's burst of 1 + 1
        second!.Dispose();
        Assert.False(limiter.TryAcquire(Client, out _, out var byRate));
        Assert.Equal(429, byRate);

        using var defaults = new RouteRateLimiter(new RouteRateLimit(0, 1, 0, 1, []));
        Admitted(defaults, Client, 2);
        Assert.False(defaults.TryAcquire(Client, out _, out var status));
        Assert.Equal(503, status);
    }

    private static int Admitted(RouteRateLimiter limiter, IPAddress address, int tries)
    {
        var admitted = 0;
        for (var i = 0; i < tries; i++)
        {
            if (limiter.TryAcquire(address, out var lease, out _))
            {
                admitted++;
            }

            lease?.Dispose();
        }

        return admitted;
    }
}
