using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// A route's backendRef → a Service port backend, as Gateway API resolves it: core Services only, a port required,
/// another namespace only with a ReferenceGrant. What does not resolve is reported with the spec's reason
/// (InvalidKind, RefNotPermitted, BackendNotFound) and gets no backend: its share of requests is answered 500. A route
/// kind with a protocol of its own (GRPCRoute: h2c) gets that protocol to pods whose Service port declares none, as a
/// backend of its own (<c>grpc:</c> in front of the id) beside the HTTP/1.1 one of the same port. L4 routes name their
/// transport, whose Service port they need (<c>tcp/</c> or <c>udp/</c> in front of the id).
/// </summary>
internal static class GatewayBackends
{
    public static (Backend? Backend, string? Problem) Resolve(
        BackendReference backendRef,
        ObjectRef route,
        string field,
        ServiceBackendResolver services,
        ReferenceGrants grants,
        Dictionary<string, Backend> backends,
        List<(string Reason, string Message)> unresolved,
        BackendProtocol? preferred = null,
        string? transport = null)
    {
        var group = backendRef.Group ?? string.Empty;
        var kind = backendRef.Kind ?? KubeKinds.Service;
        if (group.Length != 0 || kind != KubeKinds.Service)
        {
            return Fail("InvalidKind", $"{field}: {(group.Length == 0 ? kind : $"{kind}.{group}")} is not a backend kind OneHop supports (core Service)", unresolved);
        }

        var ns = backendRef.Namespace ?? route.Namespace;
        if (string.IsNullOrEmpty(backendRef.Name))
        {
            return Fail("BackendNotFound", $"{field}.name: a backend needs a name", unresolved);
        }

        if (!grants.Allows(route.Kind, route.Namespace, string.Empty, KubeKinds.Service, ns, backendRef.Name))
        {
            return Fail("RefNotPermitted", $"{field}: Service {ns}/{backendRef.Name} is in another namespace and no ReferenceGrant there allows it", unresolved);
        }

        if (backendRef.Port is not { } port)
        {
            return Fail("UnsupportedValue", $"{field}.port: a Service backend needs a port", unresolved);
        }

        var reference = new BackendRef(ns, backendRef.Name, null, port);
        if (transport is not null)
        {
            // L4 routes: the Service port must be of the listener's transport (TCP or UDP); its backend id says which.
            if (services.Problem(reference, transport) is { } l4Problem)
            {
                return Fail("BackendNotFound", $"{field}: {l4Problem.Message.Split(';')[0]}", unresolved);
            }

            var l4 = services.Resolve(reference, [], transport);
            backends[l4.Id] = l4;
            return (l4, null);
        }

        var errors = new List<Diagnostic>();
        services.Validate(reference, route, ObjectOrigin.Kubernetes, field, errors);
        if (errors.FirstOrDefault(e => e.Code == DiagnosticCodes.UnknownService) is { } missing)
        {
            return Fail("BackendNotFound", $"{field}: {missing.Message.Split(';')[0]}", unresolved);
        }

        if (errors.FirstOrDefault() is { } badPort)
        {
            return Fail("BackendNotFound", $"{field}: {badPort.Message.Split(';')[0]}", unresolved);
        }

        var backend = services.Resolve(reference, []);
        if (preferred is { } wanted && !services.DeclaresProtocol(reference))
        {
            // A BackendTLSPolicy made the port TLS (HTTP/1.1 over TLS): the route's protocol goes over TLS too, h2c as
            // h2, for a gRPC pod speaks HTTP/2 alone and the HTTP/1.1 path offers no h2 to negotiate.
            var protocol = backend.Tls is not null && wanted == BackendProtocol.H2c ? BackendProtocol.H2 : wanted;
            if (backend.Protocol != protocol)
            {
                backend = backend with { Id = $"grpc:{backend.Id}", Protocol = protocol };
            }
        }

        backends[backend.Id] = backend;
        return (backend, null);
    }

    private static (Backend?, string?) Fail(string reason, string message, List<(string Reason, string Message)> unresolved)
    {
        unresolved.Add((reason, message));
        return (null, message);
    }
}
