using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Proxy.Http;

public sealed class RateLimitRegistrationTests
{
    [Theory]
    [InlineData(1, 1000, 1)]
    [InlineData(5, 200, 1)]
    [InlineData(100, 10, 1)]
    [InlineData(150, 20, 3)]
    [InlineData(1000, 10, 10)]
    [InlineData(101, 1000, 101)]
    public void The_bucket_refills_at_exactly_the_configured_rate(int rate, int periodMs, int tokens)
    {
        var (period, perPeriod) = RateLimitRegistration.Refill(rate);

        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), period);
        Assert.Equal(tokens, perPeriod);
    }

    [Fact]
    public void Every_rate_up_to_ten_thousand_is_exact_to_a_tick_with_periods_of_at_least_ten_milliseconds()
    {
        for (var rate = 1; rate <= 10_000; rate++)
        {
            var (period, tokens) = RateLimitRegistration.Refill(rate);
            Assert.True(period >= TimeSpan.FromMilliseconds(10), $"{rate}/s refills every {period}");
            Assert.InRange(tokens * TimeSpan.TicksPerSecond / (double)period.Ticks, rate, rate * 1.00001);
        }
    }
}
