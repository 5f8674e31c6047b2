using OneHop.Core.Telemetry.Tracing;
using OneHop.Core.Tests.Balancing;

namespace OneHop.Core.Tests.Telemetry.Tracing;

/// <summary>The share of new traces OneHop starts: none at 0, all at 1, the ratio's share in between.</summary>
public sealed class RootSamplerTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(-1.0, 0)]
    [InlineData(1.0, 10_000)]
    [InlineData(2.0, 10_000)]
    public void The_ends_of_the_ratio_trace_none_or_all(double ratio, int expected)
    {
        var sampler = new RootSampler(ratio, new SeededRandom(7));

        Assert.Equal(expected, Enumerable.Range(0, 10_000).Count(_ => sampler.Samples()));
    }

    [Fact]
    public void One_percent_traces_about_one_root_in_a_hundred()
    {
        var sampler = new RootSampler(0.01, new SeededRandom(7));

        Assert.InRange(Enumerable.Range(0, 100_000).Count(_ => sampler.Samples()), 900, 1_100);
    }
}
