using OneHop.Core.Configuration.Policies;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Turns an Ingress's <c>mirror-target</c> into the route mirror Gateway API's RequestMirror uses too: a Service's
/// cluster DNS name (<see cref="NginxClusterUrls"/>) mirrors to its ready pods, any other host is a plain upstream of
/// that host and port (its certificate not verified, as nginx's <c>proxy_pass</c> does not verify it either).
/// </summary>
internal static class NginxMirrorResolver
{
    private const string Field = $"metadata.annotations[{NginxAnnotations.Prefix}mirror-target]";

    /// <summary>The route's mirror and the backend its copies go to.</summary>
    public static (RouteMirror Mirror, Backend Backend) Resolve(CompiledIngress ingress, NginxMirror mirror, ServiceBackendResolver services, BackendPolicy policy, List<Diagnostic> diagnostics)
    {
        Backend backend;
        if (NginxClusterUrls.ServiceOf(mirror.Origin) is { } reference)
        {
            backend = services.Resolve(reference, []);
            if (backend.Problem is { } problem)
            {
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnknownService, $"mirror-target names Service {reference}: {problem}; nothing is mirrored until it resolves", ingress.Ref, ingress.Origin, Field));
            }
        }
        else
        {
            var https = mirror.Origin.Scheme == Uri.UriSchemeHttps;
            var host = mirror.Origin.HostNameType == UriHostNameType.IPv6 ? mirror.Origin.Host.Trim('[', ']') : mirror.Origin.IdnHost;
            backend = new Backend(
                $"mirror/{mirror.Origin.Scheme}://{mirror.Origin.Authority}",
                mirror.Origin.Authority,
                BackendKind.Upstream,
                https ? BackendProtocol.Https : BackendProtocol.Http,
                policy,
                [new BackendEndpoint(host, mirror.Origin.Port, EndpointState.Ready)])
            {
                Tls = https ? BackendTls.Unverified : null,
            };
        }

        return (new RouteMirror(backend.Id) { Target = mirror.Target, Host = mirror.Host, WithoutBody = !mirror.RequestBody }, backend);
    }
}
