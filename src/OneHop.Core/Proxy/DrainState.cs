namespace OneHop.Core.Proxy;

/// <summary>
/// Whether this replica is shutting down gracefully: it still serves every request, but <c>/readyz</c> answers 503
/// and connections close after their next request (HTTP/1.1 Connection: close, HTTP/2 GOAWAY), so the layer in front (a health-checking
/// HAProxy, keepalived, a Kubernetes Service) moves clients to other replicas before the listeners close.
/// </summary>
internal sealed class DrainState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void Begin() => _draining = true;
}
