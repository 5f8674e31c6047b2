using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Health;

public sealed class ActiveHealthCheckerTests : IDisposable
{
    private static readonly HealthProbe Probe = new("/healthz", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), HealthyThreshold: 2, UnhealthyThreshold: 3);

    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedProber _prober = new();
    private readonly BackendState _backend;
    private readonly ActiveHealthChecker _checker;

    public ActiveHealthCheckerTests()
    {
        var backend = new Backend("default/web:80", "web", BackendKind.Service, BackendProtocol.Http, BackendPolicy.Default with { Probe = Probe }, [new BackendEndpoint("10.0.0.1", 80, EndpointState.Ready)]);
        _backend = new BackendState(backend, new EndpointRuntimeRegistry(_time), null, null);
        _checker = new ActiveHealthChecker(() => [_backend], _prober, _time, NullLogger<ActiveHealthChecker>.Instance);
    }

    private ProbeHealth Health => _backend.Destinations[0].Runtime.ProbeHealth;

    public void Dispose() => _checker.Dispose();

    [Fact]
    public void Turns_unhealthy_after_the_unhealthy_threshold_and_back_after_the_healthy_threshold()
    {
        ProbeOnce(true);
        Assert.Equal(ProbeHealth.Healthy, Health);
        ProbeOnce(false);
        ProbeOnce(false);
        Assert.Equal(ProbeHealth.Healthy, Health);
        ProbeOnce(false);
        Assert.Equal(ProbeHealth.Unhealthy, Health);
        Assert.Empty(_backend.Available().Items.Where(d => d.Runtime.ProbeHealth == ProbeHealth.Healthy));
        ProbeOnce(true);
        Assert.Equal(ProbeHealth.Unhealthy, Health);
        ProbeOnce(true);
        Assert.Equal(ProbeHealth.Healthy, Health);
    }

    [Fact]
    public void Probes_each_endpoint_once_per_interval()
    {
        _prober.Next = true;
        _checker.Tick(_time.GetTimestamp());
        _checker.Tick(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(900));
        _checker.Tick(_time.GetTimestamp());
        Assert.Equal(1, _prober.Sent);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        _checker.Tick(_time.GetTimestamp());
        Assert.Equal(2, _prober.Sent);
    }

    [Fact]
    public void A_probe_that_throws_is_a_failure()
    {
        _prober.Throw = true;
        for (var i = 0; i < 3; i++)
        {
            _checker.Tick(_time.GetTimestamp());
            _time.Advance(Probe.Interval);
        }

        Assert.Equal(ProbeHealth.Unhealthy, Health);
    }

    private void ProbeOnce(bool passed)
    {
        _prober.Next = passed;
        _checker.Tick(_time.GetTimestamp());
        _time.Advance(Probe.Interval);
    }

    private sealed class ScriptedProber : IProbeSender
    {
        public bool Next { get; set; }

        public bool Throw { get; set; }

        public int Sent { get; private set; }

        public Task<ProbeResult> ProbeAsync(BackendState backend, Destination destination, HealthProbe probe, CancellationToken cancellationToken)
        {
            Sent++;
            return Throw ? Task.FromException<ProbeResult>(new HttpRequestException("refused")) : Task.FromResult(new ProbeResult(Next, Next ? "HTTP 200" : "HTTP 503"));
        }
    }
}
