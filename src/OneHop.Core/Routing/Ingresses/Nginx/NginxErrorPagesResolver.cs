using System.Globalization;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>default-backend</c> and <c>custom-http-errors</c> in OneHop's terms: the backend of the named
/// Service at its first port (as ingress-nginx takes it), and each rule's <see cref="RouteErrorPages"/>.
/// </summary>
internal static class NginxErrorPagesResolver
{
    private const string Field = $"metadata.annotations[{NginxAnnotations.Prefix}default-backend]";

    /// <summary>
    /// The backend of the Ingress's <c>default-backend</c>, spoken to as its Service says (not with the Ingress's
    /// backend-protocol: nginx's error location always proxies plain HTTP); null without the annotation or while the
    /// Service does not resolve, which is reported: the Ingress then routes without it, as ingress-nginx does.
    /// </summary>
    public static Backend? Resolve(CompiledIngress ingress, ClusterState cluster, ServiceBackendResolver services, List<Diagnostic> diagnostics)
    {
        if (ingress.Nginx.DefaultBackend is not { } name)
        {
            return null;
        }

        var key = new ObjectKey(ingress.Ref.Namespace, name);
        var port = cluster.Services.TryGetValue(key, out var service) ? service.Spec?.Ports?.FirstOrDefault() : null;
        var backend = port is null ? null : services.Resolve(new BackendRef(key.Namespace, key.Name, null, port.Port), ingress.PolicySettings);
        var problem = service is null ? $"Service {key} does not exist"
            : backend is null ? $"Service {key} has no port"
            : backend.Problem;
        if (problem is not null)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnknownService, $"default-backend: {problem}; the Ingress routes without it until it resolves", ingress.Ref, ingress.Origin, Field));
            return null;
        }

        return backend;
    }

    /// <summary>
    /// The error pages of one rule: to <paramref name="defaultBackend"/>, or, with <c>custom-http-errors</c> and no
    /// usable default-backend, to OneHop's default backend (an empty <see cref="RouteErrorPages.BackendId"/> that the
    /// translator fills in once it knows it); null when the Ingress has neither annotation.
    /// </summary>
    public static RouteErrorPages? For(CompiledIngress ingress, IngressRule rule, Backend? defaultBackend) =>
        defaultBackend is null && ingress.Nginx.CustomHttpErrors.IsEmpty ? null
        : new RouteErrorPages(
            defaultBackend?.Id ?? string.Empty,
            ingress.Nginx.CustomHttpErrors,
            defaultBackend is not null,
            ingress.Ref.Namespace,
            ingress.Ref.Name,
            rule.Backend.Service,
            rule.Backend.PortName ?? rule.Backend.PortNumber?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
}
