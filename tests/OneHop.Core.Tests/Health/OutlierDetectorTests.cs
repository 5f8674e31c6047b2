using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Telemetry;
using OneHop.Core.Tests.Support;
using Prometheus;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Tests.Health;

public sealed class OutlierDetectorTests
{
    private static readonly BackendPolicy Policy = BackendPolicy.Default with
    {
        Outlier = new OutlierDetection { ConsecutiveFailures = 3, BaseEjectionTime = TimeSpan.FromSeconds(10), MaxEjectionPercent = 50 },
    };

    private readonly ProxyFixture _cluster = new(Policy, "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:80");
    private readonly OutlierDetector _detector;

    public OutlierDetectorTests()
    {
        _detector = new OutlierDetector(_cluster, new EndpointRuntimeRegistry(new FakeTimeProvider()), _cluster.Catalog, new ProxyMetrics(Metrics.NewCustomRegistry()), NullLogger<OutlierDetector>.Instance);
    }

    [Fact]
    public void Consecutive_failures_eject_for_a_time_that_grows_with_each_ejection()
    {
        Fail("10.0.0.1:80", 3);
        Assert.Equal([("10.0.0.1:80", DestinationHealth.Unhealthy, (TimeSpan?)TimeSpan.FromSeconds(10))], _cluster.HealthChanges);

        _cluster["10.0.0.1:80"].Health.Passive = DestinationHealth.Unknown;
        Fail("10.0.0.1:80", 3);
        Assert.Equal(TimeSpan.FromSeconds(20), _cluster.HealthChanges[^1].Period);
    }

    [Fact]
    public void A_success_resets_the_streak()
    {
        Fail("10.0.0.1:80", 2);
        Proxied("10.0.0.1:80", 200);
        Fail("10.0.0.1:80", 2);
        Assert.Empty(_cluster.HealthChanges);
    }

    [Fact]
    public void Transport_errors_count_as_failures_but_what_the_client_did_neither_counts_nor_breaks_the_streak()
    {
        Proxied("10.0.0.2:80", 502, ForwarderError.Request, Reset);
        Proxied("10.0.0.2:80", 502, ForwarderError.RequestCanceled);
        Proxied("10.0.0.2:80", 400, ForwarderError.RequestBodyClient, new BadHttpRequestException("bad chunk"));
        Proxied("10.0.0.2:80", 502, ForwarderError.ResponseBodyClient, new IOException("client went away"));
        Proxied("10.0.0.2:80", 502, ForwarderError.Request, new NotSupportedException("CONNECT"));
        Proxied("10.0.0.2:80", 502, ForwarderError.Request, Reset);
        Assert.Empty(_cluster.HealthChanges);
        Proxied("10.0.0.2:80", 502, ForwarderError.Request, Reset);
        Assert.Single(_cluster.HealthChanges);
    }

    [Fact]
    public void Never_ejects_more_than_the_maximum_share_of_the_backend()
    {
        Fail("10.0.0.1:80", 3);
        Fail("10.0.0.2:80", 3);
        Fail("10.0.0.3:80", 3);
        Fail("10.0.0.4:80", 3);

        Assert.Equal(["10.0.0.1:80", "10.0.0.2:80"], _cluster.HealthChanges.Select(c => c.Endpoint));
    }

    private void Fail(string endpoint, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Proxied(endpoint, 500);
        }
    }

    private static readonly HttpRequestException Reset = new("reset", new IOException("connection reset by peer"));

    private void Proxied(string endpoint, int status, ForwarderError? error = null, Exception? exception = null)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        if (error is { } e)
        {
            context.Features.Set<IForwarderErrorFeature>(new ErrorFeature(e, exception));
        }

        _detector.RequestProxied(context, _cluster.Cluster, _cluster[endpoint]);
    }

    private sealed record ErrorFeature(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;
}
