using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Health;

/// <summary>Sends one active health probe the way the backend's data plane reaches its endpoints (HTTP over its client, TCP connect).</summary>
internal interface IProbeSender
{
    /// <summary>True when the endpoint passed: for HTTP a 2xx or 3xx answer within the probe's timeout.</summary>
    Task<ProbeResult> ProbeAsync(BackendState backend, Destination destination, HealthProbe probe, CancellationToken cancellationToken);
}

/// <summary>A probe's verdict and, for the log line when health changes, what happened.</summary>
internal readonly record struct ProbeResult(bool Passed, string Detail);
