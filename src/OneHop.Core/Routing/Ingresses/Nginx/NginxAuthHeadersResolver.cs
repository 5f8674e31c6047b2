using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Reads an Ingress's <c>auth-proxy-set-headers</c> ConfigMap from the cluster state into its auth-url's subrequest
/// headers, as ingress-nginx's auth location does with <c>proxy_set_header</c>: the ConfigMap in the Ingress's own
/// namespace, names as ingress-nginx accepts them, values with the variables OneHop fills in (<see cref="RequestTemplate"/>).
/// ingress-nginx denies the location when the ConfigMap cannot be used; OneHop keeps the Ingress's last good version.
/// </summary>
internal static class NginxAuthHeadersResolver
{
    private const string Field = $"metadata.annotations[{NginxAnnotations.Prefix}auth-proxy-set-headers]";

    public static CompiledIngress Resolve(CompiledIngress ingress, ClusterState cluster, List<Diagnostic> errors)
    {
        if (ingress.Nginx.AuthProxySetHeaders is not { } map || ingress.Nginx.ExternalAuth is not { } auth
            || NginxHeaderMaps.ReadForIngress(ingress, map, Field, cluster, static (_, value) => Value(value), errors) is not { } headers)
        {
            return ingress;
        }

        return ingress with { Nginx = ingress.Nginx with { ExternalAuth = auth with { RequestHeaders = headers } } };
    }

    /// <summary>A value that fits in a header (empty allowed: nothing is sent) and names only variables OneHop knows.</summary>
    private static string? Value(string value)
    {
        if (value.Any(c => c < ' ' || c == 0x7f))
        {
            return "the value must fit in an HTTP header (no control characters)";
        }

        return RequestTemplate.Parse(value, out var problem) is null ? problem : null;
    }
}
