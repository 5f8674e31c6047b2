using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// A route's error pages as one snapshot serves them: the route's settings and the backend that answers them, found
/// once per snapshot so a request looks nothing up.
/// </summary>
internal sealed class ErrorPagesTarget(RouteErrorPages pages, BackendState backend)
{
    public RouteErrorPages Pages => pages;

    /// <summary>The Service that answers (ingress-nginx's <c>default-backend</c>, or OneHop's default route's).</summary>
    public BackendState Backend => backend;
}
