namespace OneHop.Core.Health;

/// <summary>What active probes say of an endpoint.</summary>
internal enum ProbeHealth
{
    /// <summary>Not probed (no probe configured, or no verdict yet): counts as healthy.</summary>
    Unknown,

    Healthy,

    Unhealthy,
}
