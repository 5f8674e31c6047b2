using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Tests.Telemetry;

/// <summary>
/// The listener × pod pairs the L4 metrics report: a pair no longer routed goes once nothing is open to it, and one
/// still draining asks to be looked at again, so a departed pod's series end when its last connection does.
/// </summary>
public sealed class L4MetricsTests : IDisposable
{
    private readonly Meter _meter = new("OneHop.Tests.L4");
    private readonly L4Metrics _metrics;

    public L4MetricsTests() => _metrics = new L4Metrics(_meter, new FakeTimeProvider(), TimeSpan.Zero);

    [Fact]
    public void A_departed_pod_with_an_open_connection_stays_until_it_closes_and_says_so()
    {
        var stays = _metrics.For("echo", "default/echo", "10.0.0.1:7", "echo-0");
        var leaves = _metrics.For("echo", "default/echo", "10.0.0.2:7", "echo-1");
        leaves.Opened();
        bool Routed(string listener, string endpoint) => endpoint == "10.0.0.1:7";

        Assert.True(_metrics.Retain(Routed)); // echo-1 drains: look again
        Assert.Same(leaves, _metrics.For("echo", "default/echo", "10.0.0.2:7", "echo-1"));

        leaves.Closed();
        Assert.False(_metrics.Retain(Routed));
        Assert.NotSame(leaves, _metrics.For("echo", "default/echo", "10.0.0.2:7", "echo-1")); // forgotten, so made anew
        Assert.Same(stays, _metrics.For("echo", "default/echo", "10.0.0.1:7", "echo-0"));
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _meter.Dispose();
    }
}
