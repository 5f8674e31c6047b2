namespace OneHop.Core.Routing;

internal enum BackendKind
{
    /// <summary>A Kubernetes Service port; endpoints are its pods, from EndpointSlices.</summary>
    Service,

    /// <summary>An ExternalName Service: one endpoint, the DNS name.</summary>
    ExternalName,

    /// <summary>A static upstream from the config file (Exchange, IIS, a static site...).</summary>
    Upstream,
}
