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
/// <param name="Weight">Relative weight for weighted algorithms; 1 for pods unless annotated.</param>
internal sealed record BackendEndpoint(
    string Address,
    int Port,
    EndpointState State,
    string? Pod = null,
    string? Node = null,
    string? Zone = null,
    int Weight = 1)
{
    /// <summary>The endpoint's identity, <c>address:port</c> (IPv6 bracketed): the key of its runtime state.</summary>
    public string Id => Address.Contains(':', StringComparison.Ordinal) ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
