using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Tests.Telemetry;

/// <summary>Per-pod instruments start a new generation only when a pod left and the retention has passed.</summary>
public sealed class PodSeriesMeterTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly object _scope = new();
    private readonly PodSeriesMeter<Counter<long>> _pods;
    private readonly MeterListener _listener = new();
    private readonly List<(string Version, string Pod, long Value)> _measured = [];
    private readonly List<string> _completed = [];

    public PodSeriesMeterTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, _scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _completed.Add(instrument.Meter.Version!);
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measured.Add((instrument.Meter.Version!, (string)tags[0].Value!, value)));
        _listener.Start();
        _pods = new PodSeriesMeter<Counter<long>>("OneHop", _scope, m => m.CreateCounter<long>("attempts"), _time, TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Pods_that_stay_never_end_a_generation_however_old_it_is()
    {
        Assert.False(_pods.PruneDeparted(["a", "b"]));
        _time.Advance(TimeSpan.FromHours(5));
        Assert.False(_pods.PruneDeparted(["a", "b", "c"]));
        Assert.Equal(0, _pods.Pruned);
        Assert.Empty(_completed);
    }

    [Fact]
    public void A_departed_pod_ends_the_generation_once_the_retention_has_passed_and_records_go_to_the_new_one()
    {
        Record("a");
        _pods.PruneDeparted(["a", "b"]);
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(_pods.PruneDeparted(["a"]), "b left, but the generation is younger than the retention");

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(_pods.PruneDeparted(["a"]));
        Assert.Equal(["pods-1"], _completed);
        Record("a");

        Assert.Equal([("pods-1", "a", 1L), ("pods-2", "a", 1L)], _measured);
        Assert.Equal(1, _pods.Pruned);
    }

    [Fact]
    public void The_new_generation_starts_with_the_live_pods_as_seen_and_its_own_clock()
    {
        _pods.PruneDeparted(["a", "b"]);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(_pods.PruneDeparted(["a"]));

        // a leaves now: the new generation is younger than the retention, so it waits; b, gone before, is not counted again.
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(_pods.PruneDeparted([]));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(_pods.PruneDeparted([]));
        Assert.False(_pods.PruneDeparted([]), "nothing was seen in the third generation");
        Assert.Equal(["pods-1", "pods-2"], _completed);
    }

    public void Dispose()
    {
        _pods.Dispose();
        _listener.Dispose();
    }

    private void Record(string pod) => _pods.Instruments.Add(1, new KeyValuePair<string, object?>("pod", pod));
}
