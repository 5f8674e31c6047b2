using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Reads an Ingress's <c>custom-headers</c> ConfigMap from the cluster state, as ingress-nginx does: the names must be in
/// the controller ConfigMap's <c>global-allowed-response-headers</c> and names and values pass ingress-nginx's checks. The
/// headers become part of the compiled Ingress, so an unusable ConfigMap is an error that keeps its last good version.
/// </summary>
internal static class NginxCustomHeadersResolver
{
    private const string Field = $"metadata.annotations[{NginxAnnotations.Prefix}custom-headers]";

    public static CompiledIngress Resolve(CompiledIngress ingress, NginxGlobalHeaders globals, ClusterState cluster, List<Diagnostic> errors)
    {
        if (ingress.Nginx.CustomHeaders is not { } map)
        {
            return ingress;
        }

        var headers = NginxHeaderMaps.ReadForIngress(
            ingress,
            map,
            Field,
            cluster,
            (name, value) => NginxHeaderMaps.LiteralValue(value)
                ?? (globals.AllowedResponseHeaders.Contains(name, StringComparer.Ordinal) ? null
                : $"header {name} is not allowed: the controller ConfigMap's global-allowed-response-headers ({(globals.AllowedResponseHeaders.IsEmpty ? "empty" : string.Join(",", globals.AllowedResponseHeaders))}) must name it, as ingress-nginx requires"),
            errors);
        return headers is null ? ingress : ingress with { CustomHeaders = headers.Value };
    }
}
