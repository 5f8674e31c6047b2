namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary><c>permanent-redirect</c> or <c>temporal-redirect</c>: every request of the Ingress answered with this URL and code.</summary>
internal sealed record NginxRedirect(Uri Target, int StatusCode);
