using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Health;

namespace OneHop.Core.Tests.Health;

public sealed class TrafficWindowTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Rates_and_quantiles_cover_the_whole_seconds_before_now()
    {
        var window = new TrafficWindow(_time);
        _time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 98; i++)
        {
            window.Record(0.010, failed: false);
        }

        window.Record(2.0, failed: true);
        window.Record(2.0, failed: true);
        _time.Advance(TimeSpan.FromSeconds(1));

        // The second under way is not counted yet.
        window.Record(5.0, failed: true);
        var summary = window.Read();

        Assert.Equal(100, summary.Requests);
        Assert.Equal(2, summary.Errors);
        Assert.Equal(50, summary.RequestsPerSecond); // 100 over the 2 seconds the window has existed
        Assert.InRange(summary.P50!.Value, 0.008, 0.016);
        Assert.InRange(summary.P99!.Value, 1.0, 2.1);
    }

    [Fact]
    public void Seconds_older_than_the_window_drop_out()
    {
        var window = new TrafficWindow(_time);
        _time.Advance(TimeSpan.FromSeconds(3));
        window.Record(0.001, failed: false);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, window.Read().Requests);

        _time.Advance(TimeSpan.FromSeconds(TrafficWindow.WindowSeconds));
        var summary = window.Read();
        Assert.Equal(0, summary.Requests);
        Assert.Equal(0, summary.RequestsPerSecond);
        Assert.Null(summary.P50);
    }

    [Fact]
    public void A_slot_reused_a_ring_later_starts_from_zero()
    {
        var window = new TrafficWindow(_time);
        _time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 5; i++)
        {
            window.Record(0.001, failed: true);
        }

        // 16 seconds on, the same slot of the ring holds the new second.
        _time.Advance(TimeSpan.FromSeconds(16));
        window.Record(0.001, failed: false);
        _time.Advance(TimeSpan.FromSeconds(1));

        var summary = window.Read();
        Assert.Equal(1, summary.Requests);
        Assert.Equal(0, summary.Errors);
        Assert.Equal(0.1, summary.RequestsPerSecond, 3);
    }

    [Fact]
    public void Recording_and_reading_allocate_nothing()
    {
        var window = new TrafficWindow(_time);
        window.Record(0.001, failed: false);
        _ = window.Read();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            window.Record(i * 0.0001, failed: i % 7 == 0);
        }

        _ = window.Read();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Concurrent_writers_in_one_second_lose_nothing()
    {
        var window = new TrafficWindow(_time);
        _time.Advance(TimeSpan.FromSeconds(1));
        window.Record(0.001, failed: false); // the slot is claimed before the race

        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 25_000; i++)
            {
                window.Record(0.002, failed: false);
            }
        });

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(100_001, window.Read().Requests);
    }
}
