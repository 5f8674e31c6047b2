using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Points an Ingress's <c>auth-url</c> at the pods of the Service it names by cluster DNS (<see cref="NginxClusterUrls"/>),
/// so the subrequest takes one hop to a ready pod like every other request. Any other host is left to DNS.
/// </summary>
internal static class NginxExternalAuthResolver
{
    /// <summary><paramref name="auth"/> with the backend of its Service, and that backend; the backend is null when the URL names none.</summary>
    public static (RouteExternalAuth Auth, Backend? Backend) Resolve(CompiledIngress ingress, RouteExternalAuth auth, ServiceBackendResolver services, List<Diagnostic> diagnostics)
    {
        if (!Uri.TryCreate(auth.Url, UriKind.Absolute, out var url) || NginxClusterUrls.ServiceOf(url) is not { } reference)
        {
            return (auth, null);
        }

        var backend = services.Resolve(reference, []);
        if (backend.Problem is { } problem)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnknownService, $"{(ingress.Nginx.ExternalAuthField == NginxSettings.AuthUrlField ? "auth-url" : "global-auth-url")} names Service {reference}: {problem}; the Ingress's requests are answered 500 until it resolves, as nginx answers when it cannot reach auth-url", ingress.Ref, ingress.Origin, ingress.Nginx.ExternalAuthField));
        }

        return (auth with { BackendId = backend.Id }, backend);
    }
}
