using System.Text.RegularExpressions;

using OneHop.Core.Routing.Endpoints;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// URLs of annotations (<c>auth-url</c>, <c>mirror-target</c>) that name a Service by its cluster DNS name
/// (<c>oauth2-proxy.auth.svc</c>, or with <c>.cluster.local</c>): OneHop sends to its ready pods, one hop, and works from
/// outside the cluster where that name does not resolve.
/// </summary>
internal static partial class NginxClusterUrls
{
    /// <summary>The Service port <paramref name="url"/> names (its port, 80 or 443 by default); null for any other host.</summary>
    public static BackendRef? ServiceOf(Uri url) =>
        ClusterName().Match(url.Host) is { Success: true } name ? new BackendRef(name.Groups[3].Value, name.Groups[1].Value, null, url.Port) : null;

    /// <summary>SERVICE.NAMESPACE.svc, optionally .cluster.local: the names kube-dns gives Services.</summary>
    [GeneratedRegex(@"^([a-z0-9]([a-z0-9-]*[a-z0-9])?)\.([a-z0-9]([a-z0-9-]*[a-z0-9])?)\.svc(\.cluster\.local)?\.?$")]
    private static partial Regex ClusterName();
}
