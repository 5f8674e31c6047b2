using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// The Gateways through which OneHop's routes reach each Service: a Service-targeted policy's ancestors, as the spec
/// names them for BackendTLSPolicy's status (the Gateways whose accepted routes have a backendRef to the target).
/// </summary>
internal static class PolicyAncestors
{
    public static Dictionary<ObjectKey, SortedSet<ObjectRef>> Of(ClusterState state, IEnumerable<RouteStatusReport> routes)
    {
        var byService = new Dictionary<ObjectKey, SortedSet<ObjectRef>>();
        foreach (var route in routes)
        {
            var gateways = route.Parents
                .Where(p => p.Conditions.Any(c => c is { Type: "Accepted", Status: true }))
                .Select(p => new ObjectRef(KubeKinds.Gateway, p.GatewayNamespace, p.GatewayName))
                .ToList();
            if (gateways.Count == 0)
            {
                continue;
            }

            // A route's objects come from the API as they are: a null entry or a nameless reference is skipped here, as
            // the route's own translation reports it.
            foreach (var backend in BackendRefs(state, route.Ref).Where(b => b is not null && !string.IsNullOrEmpty(b.Name) && string.IsNullOrEmpty(b.Group) && (b.Kind ?? KubeKinds.Service) == KubeKinds.Service))
            {
                var service = new ObjectKey(backend.Namespace ?? route.Ref.Namespace, backend.Name);
                if (!byService.TryGetValue(service, out var set))
                {
                    byService[service] = set = [];
                }

                set.UnionWith(gateways);
            }
        }

        return byService;
    }

    private static IEnumerable<BackendReference> BackendRefs(ClusterState state, ObjectRef route) => route.Kind switch
    {
        KubeKinds.HttpRoute when state.HttpRoutes.TryGetValue(route.Key, out var http) => (http.Spec?.Rules ?? []).SelectMany(r => r?.BackendRefs ?? []),
        KubeKinds.GrpcRoute when state.GrpcRoutes.TryGetValue(route.Key, out var grpc) => (grpc.Spec?.Rules ?? []).SelectMany(r => r?.BackendRefs ?? []),
        KubeKinds.TcpRoute when state.TcpRoutes.TryGetValue(route.Key, out var tcp) => (tcp.Spec?.Rules ?? []).SelectMany(r => r?.BackendRefs ?? []),
        KubeKinds.UdpRoute when state.UdpRoutes.TryGetValue(route.Key, out var udp) => (udp.Spec?.Rules ?? []).SelectMany(r => r?.BackendRefs ?? []),
        KubeKinds.TlsRoute when state.TlsRoutes.TryGetValue(route.Key, out var tls) => (tls.Spec?.Rules ?? []).SelectMany(r => r?.BackendRefs ?? []),
        _ => [],
    };
}
