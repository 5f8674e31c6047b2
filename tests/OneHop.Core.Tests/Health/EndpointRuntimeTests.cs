using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Health;

namespace OneHop.Core.Tests.Health;

public sealed class EndpointRuntimeTests
{
    private static readonly TimeSpan Decay = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_new_endpoint_has_no_latency_until_its_first_response_which_is_taken_as_is()
    {
        var runtime = new EndpointRuntime("10.0.0.1:80", _time);
        Assert.False(runtime.TryGetLatency(Decay, out _));

        _time.Advance(Decay);
        runtime.ObserveLatency(0.020, Decay);
        Assert.Equal(0.020, Latency(runtime), 6);
    }

    [Fact]
    public void Peaks_are_taken_at_once_and_decay_with_time()
    {
        var runtime = new EndpointRuntime("10.0.0.1:80", _time);
        runtime.ObserveLatency(0.010, Decay);
        runtime.ObserveLatency(0.500, Decay);
        Assert.Equal(0.5, Latency(runtime));

        _time.Advance(Decay);
        runtime.ObserveLatency(0.010, Decay);

        // One decay time later a fast sample carries 1 - 1/e of the weight.
        Assert.Equal((0.5 / Math.E) + (0.010 * (1 - (1 / Math.E))), Latency(runtime), 6);
    }

    [Fact]
    public void Without_responses_the_estimate_decays_toward_zero_from_the_last_one()
    {
        var runtime = new EndpointRuntime("10.0.0.1:80", _time);
        runtime.ObserveLatency(0.020, Decay);
        _time.Advance(Decay);
        Assert.Equal(0.020 / Math.E, Latency(runtime), 6);

        // A response equal to the stored estimate still counts as fresh.
        runtime.ObserveLatency(0.020, Decay);
        Assert.Equal(0.020, Latency(runtime), 6);
    }

    [Fact]
    public void Samples_in_quick_succession_barely_move_the_average_down()
    {
        var runtime = new EndpointRuntime("10.0.0.1:80", _time);
        runtime.ObserveLatency(0.2, Decay);
        runtime.ObserveLatency(0.001, Decay);
        Assert.Equal(0.2, Latency(runtime), 6);
    }

    [Fact]
    public void Slow_start_ramps_from_the_floor_to_full_over_the_window()
    {
        var runtime = new EndpointRuntime("10.0.0.1:80", _time);
        var window = TimeSpan.FromSeconds(30);
        Assert.Equal(0.1, runtime.SlowStartFactor(window));
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(0.5, runtime.SlowStartFactor(window), 6);
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(1, runtime.SlowStartFactor(window));
        Assert.Equal(1, new EndpointRuntime("b", _time).SlowStartFactor(TimeSpan.Zero));
    }

    [Fact]
    public void In_flight_and_failure_streaks_are_counted()
    {
        var runtime = new EndpointRuntime("10.0.0.1:80", _time);
        runtime.RequestStarted();
        runtime.RequestStarted();
        runtime.RequestEnded();
        Assert.Equal(1, runtime.InFlight);
        Assert.Equal(1, runtime.RecordOutcome(failed: true));
        Assert.Equal(2, runtime.RecordOutcome(failed: true));
        Assert.Equal(0, runtime.RecordOutcome(failed: false));
        Assert.Equal(1, runtime.RecordEjection());
    }

    [Fact]
    public void The_registry_forgets_endpoints_that_left_unless_requests_are_in_flight()
    {
        var registry = new EndpointRuntimeRegistry(_time);
        var gone = registry.For("10.0.0.1:80");
        var busy = registry.For("10.0.0.2:80");
        busy.RequestStarted();

        registry.Retain(new HashSet<string>());

        Assert.NotSame(gone, registry.For("10.0.0.1:80"));
        Assert.Same(busy, registry.For("10.0.0.2:80"));
    }

    private static double Latency(EndpointRuntime runtime)
    {
        Assert.True(runtime.TryGetLatency(Decay, out var seconds));
        return seconds;
    }
}
