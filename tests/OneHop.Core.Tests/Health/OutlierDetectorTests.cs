using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Tests.Health;

public sealed class OutlierDetectorTests
{
    private static readonly BackendPolicy Policy = BackendPolicy.Default with
    {
        Outlier = new OutlierDetection { ConsecutiveFailures = 3, BaseEjectionTime = TimeSpan.FromSeconds(10), MaxEjectionPercent = 50 },
    };

    private readonly FakeTimeProvider _time = new();
    private readonly BackendState _backend;
    private readonly OutlierDetector _detector;

    public OutlierDetectorTests()
    {
        var endpoints = new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4" }.Select(a => new BackendEndpoint(a, 80, EndpointState.Ready));
        _backend = new BackendState(new Backend("default/web:80", "web", BackendKind.Service, BackendProtocol.Http, Policy, [.. endpoints]), new EndpointRuntimeRegistry(_time), null, null);
        _detector = new OutlierDetector(new ProxyMetrics(new ScopedMeterFactory().Create(MetricsExport.MeterName)), _time, NullLogger<OutlierDetector>.Instance);
    }

    [Fact]
    public void Consecutive_failures_eject_for_a_time_that_grows_with_each_ejection()
    {
        Observe("10.0.0.1:80", AttemptOutcome.PodError, 3);
        Assert.Equal(["10.0.0.1:80"], Ejected());
        Assert.Equal(TimeSpan.FromSeconds(10), EjectedFor("10.0.0.1:80"));

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(Ejected());
        Observe("10.0.0.1:80", AttemptOutcome.ConnectRefused, 3);
        Assert.Equal(TimeSpan.FromSeconds(20), EjectedFor("10.0.0.1:80"));
    }

    [Fact]
    public void A_success_resets_the_streak()
    {
        Observe("10.0.0.1:80", AttemptOutcome.PodError, 2);
        Observe("10.0.0.1:80", AttemptOutcome.Success, 1);
        Observe("10.0.0.1:80", AttemptOutcome.PodError, 2);
        Assert.Empty(Ejected());
    }

    [Fact]
    public void Transport_failures_count_but_what_the_client_did_neither_counts_nor_breaks_the_streak()
    {
        Observe("10.0.0.2:80", AttemptOutcome.UpstreamReset, 1);
        Observe("10.0.0.2:80", AttemptOutcome.ClientAbort, 1);
        Observe("10.0.0.2:80", AttemptOutcome.BadRequestBody, 1);
        Observe("10.0.0.2:80", AttemptOutcome.Unforwardable, 1);
        Observe("10.0.0.2:80", AttemptOutcome.Stalled, 1);
        Observe("10.0.0.2:80", AttemptOutcome.BadUpstreamResponse, 1);
        Assert.Empty(Ejected());
        Observe("10.0.0.2:80", AttemptOutcome.Timeout, 1);
        Assert.Equal(["10.0.0.2:80"], Ejected());
    }

    [Fact]
    public void Never_ejects_more_than_the_maximum_share_of_the_backend()
    {
        foreach (var endpoint in new[] { "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:80" })
        {
            Observe(endpoint, AttemptOutcome.PodError, 3);
        }

        Assert.Equal(["10.0.0.1:80", "10.0.0.2:80"], Ejected());
    }

    [Fact]
    public void An_ejected_endpoint_leaves_the_available_list_until_its_time_is_up()
    {
        Assert.Equal(4, _backend.Available().Count);
        Observe("10.0.0.3:80", AttemptOutcome.PodError, 3);
        Assert.DoesNotContain(_backend.Available().Items, d => d.Id == "10.0.0.3:80");

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains(_backend.Available().Items, d => d.Id == "10.0.0.3:80");
    }

    private void Observe(string endpoint, AttemptOutcome outcome, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _detector.Observe(_backend, _backend.Find(endpoint)!, outcome);
        }
    }

    private string[] Ejected() => [.. _backend.Destinations.Where(d => d.Runtime.IsEjected(_time.GetTimestamp())).Select(d => d.Id)];

    private TimeSpan EjectedFor(string endpoint) =>
        TimeSpan.FromSeconds((_backend.Find(endpoint)!.Runtime.EjectedUntil - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
}
