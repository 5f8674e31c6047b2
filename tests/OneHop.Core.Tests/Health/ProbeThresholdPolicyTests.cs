using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Tests.Support;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Tests.Health;

public sealed class ProbeThresholdPolicyTests
{
    private readonly ProxyFixture _cluster = new(BackendPolicy.Default with { Probe = new HealthProbe("/healthz", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 2, 3) }, "10.0.0.1:80");
    private readonly ProbeThresholdPolicy _policy;

    public ProbeThresholdPolicyTests()
    {
        _policy = new ProbeThresholdPolicy(_cluster, _cluster.Catalog, NullLogger<ProbeThresholdPolicy>.Instance);
    }

    private DestinationHealth Health => _cluster["10.0.0.1:80"].Health.Active;

    [Fact]
    public void Turns_unhealthy_after_the_unhealthy_threshold_and_back_after_the_healthy_threshold()
    {
        Probe(true);
        Assert.Equal(DestinationHealth.Healthy, Health);
        Probe(false);
        Probe(false);
        Assert.Equal(DestinationHealth.Healthy, Health);
        Probe(false);
        Assert.Equal(DestinationHealth.Unhealthy, Health);
        Probe(true);
        Assert.Equal(DestinationHealth.Unhealthy, Health);
        Probe(true);
        Assert.Equal(DestinationHealth.Healthy, Health);
    }

    [Fact]
    public void Errors_and_5xx_fail_and_3xx_passes()
    {
        Probe(status: HttpStatusCode.Redirect);
        Assert.Equal(DestinationHealth.Healthy, Health);
        Probe(status: HttpStatusCode.InternalServerError);
        Probe(exception: new HttpRequestException("refused"));
        Probe(status: HttpStatusCode.ServiceUnavailable);
        Assert.Equal(DestinationHealth.Unhealthy, Health);
    }

    private void Probe(bool passed) => Probe(status: passed ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);

    private void Probe(HttpStatusCode status = HttpStatusCode.OK, Exception? exception = null)
    {
        using var response = exception is null ? new HttpResponseMessage(status) : null;
        _policy.ProbingCompleted(_cluster.Cluster, [new DestinationProbingResult(_cluster["10.0.0.1:80"], response, exception)]);
    }
}
