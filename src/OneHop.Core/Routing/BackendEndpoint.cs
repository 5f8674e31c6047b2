namespace OneHop.Core.Routing;

/// <summary>
/// One destination: a pod address and port (never a ClusterIP or NodePort), or a static server.
/// </summary>
/// <param name="Address">An IPv4/IPv6 address, or a DNS name for static upstreams and ExternalName services.</param>
/// <param name="Port">The port on the pod, taken from the EndpointSlice.</param>
/// <param name="State">Whether the endpoint takes traffic normally or only as a fallback.</param>
/// <param name="Pod">The pod's name (EndpointSlice targetRef), when known.</param>
/// <param name="Node">The node the pod runs on.</param>
/// <param name="Zone">The endpoint's topology zone.</param>
/// <param name="Weight">Relative weight for weighted algorithms; 1 for pods unless their slice is annotated.</param>
/// <param name="ZoneHints">EndpointSlice <c>hints.forZones</c>: the zones whose clients should use this endpoint.</param>
internal sealed record BackendEndpoint(
    string Address,
    int Port,
    EndpointState State,
    string? Pod = null,
    string? Node = null,
    string? Zone = null,
    int Weight = 1,
    System.Collections.Immutable.ImmutableArray<string> ZoneHints = default)
{
    public System.Collections.Immutable.ImmutableArray<string> ZoneHints { get; init; } = ZoneHints.IsDefault ? [] : ZoneHints;

    /// <summary>
    /// For a node endpoint of a Service with <c>externalTrafficPolicy: Local</c>: kube-proxy's <c>healthCheckNodePort</c>
    /// on that node, where active health checks go instead of <see cref="Port"/> (200 while the node holds a ready pod).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? HealthPort { get; init; }

    public bool Equals(BackendEndpoint? other) =>
        other is not null && Address == other.Address && Port == other.Port && State == other.State && Pod == other.Pod
        && Node == other.Node && Zone == other.Zone && Weight == other.Weight && HealthPort == other.HealthPort && ZoneHints.SequenceEqual(other.ZoneHints);

    public override int GetHashCode() => HashCode.Combine(Address, Port, State);

    /// <summary>The endpoint's identity, <c>address:port</c> (IPv6 bracketed): the key of its runtime state.</summary>
    public string Id => Address.Contains(':', StringComparison.Ordinal) ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
