using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

/// <summary>A route's retry: which answers it retries, and how long it waits before each retry.</summary>
public sealed class RouteRetryTests
{
    [Fact]
    public void Only_the_named_codes_are_retried()
    {
        var retry = new RouteRetry(2, [500, 504], TimeSpan.Zero);

        Assert.Equal([true, false, false, true], new[] { 500, 502, 503, 504 }.Select(retry.Retries));
    }

    [Fact]
    public void The_backoff_doubles_from_the_routes_up_to_ten_times_it()
    {
        var retry = new RouteRetry(8, [], TimeSpan.FromMilliseconds(100));

        Assert.Equal([100, 200, 400, 800, 1000, 1000], Enumerable.Range(1, 6).Select(n => retry.BackoffBefore(n).TotalMilliseconds));
    }

    [Fact]
    public void Retries_with_equal_codes_are_equal_so_an_unchanged_route_is_unchanged()
    {
        Assert.Equal(new RouteRetry(1, [500], TimeSpan.Zero), new RouteRetry(1, [500], TimeSpan.Zero));
        Assert.NotEqual(new RouteRetry(1, [500], TimeSpan.Zero), new RouteRetry(1, [502], TimeSpan.Zero));
    }
}
