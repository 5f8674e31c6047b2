using System.Collections.Immutable;

namespace OneHop.Core.Admin;

/// <summary>
/// A backend (a Service port, an ExternalName, a static upstream) and its pods grouped by zone, then node.
/// </summary>
/// <param name="Id">The backend id routes refer to, e.g. <c>default/web:80</c>.</param>
/// <param name="Problem">Why it has no endpoints, when that is a configuration error.</param>
/// <param name="Protocol">How pods are spoken to (<c>http</c>, <c>https</c>, <c>h2c</c>, ..., <c>tcp</c>, <c>udp</c>): for TCP and UDP a pod's in-flight count is its open connections (UDP: sessions).</param>
internal sealed record TopologyService(
    string Id,
    string Name,
    string Kind,
    string LoadBalancing,
    string? Problem,
    int Available,
    ImmutableArray<TopologyZone> Zones,
    string Protocol = "http")
{
    /// <summary>The per-endpoint cap (<c>concurrency.maxPerEndpoint</c>); null when uncapped.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxPerEndpoint { get; init; }

    /// <summary>Requests (TCP: connections) waiting in the capped backend's queue now; null when uncapped.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Queued { get; init; }
}
