using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// TCPRoutes, UDPRoutes and TLSRoutes → <see cref="GatewayL4Route"/>s on the TCP, UDP and TLS (Passthrough) listeners they
/// attach to, with HTTPRoute's attachment rules and status (<see cref="GatewayRoutes"/>): parentRefs, allowedRoutes,
/// and for TLSRoute the hostnames intersected with the listener's (the SNI names it takes). A rule has only backends;
/// the spec allows one rule per TCPRoute and UDPRoute (and OneHop serves one per TLSRoute): others are reported and
/// left out. Backends need a Service port of the listener's transport.
/// </summary>
internal sealed class L4RouteTranslator(GatewayRoutes routes)
{
    public List<GatewayL4Route> Attached { get; } = [];

    /// <summary>Their backends, apart from HTTP's: the L4 translator makes them TCP or UDP backends.</summary>
    public Dictionary<string, Backend> Backends { get; } = new(StringComparer.Ordinal);

    public GatewayListeners Listeners => routes.Listeners;

    public void Translate()
    {
        var all = routes.State.TcpRoutes.Select(p => Of(KubeKinds.TcpRoute, p.Key, p.Value.Metadata, p.Value.Spec.ParentRefs, null, p.Value.Spec.Rules))
            .Concat(routes.State.UdpRoutes.Select(p => Of(KubeKinds.UdpRoute, p.Key, p.Value.Metadata, p.Value.Spec.ParentRefs, null, p.Value.Spec.Rules)))
            .Concat(routes.State.TlsRoutes.Select(p => Of(KubeKinds.TlsRoute, p.Key, p.Value.Metadata, p.Value.Spec.ParentRefs, p.Value.Spec.Hostnames, p.Value.Spec.Rules)))
            .OrderBy(e => e.Metadata?.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(e => e.Ref.Key)
            .ThenBy(e => e.Ref.Kind, StringComparer.Ordinal)
            .ToList();
        for (var n = 0; n < all.Count; n++)
        {
            var entry = all[n];
            var origin = routes.State.OriginOf(entry.Ref);
            TranslationGuard.Run(() => Translate(entry, origin, n), () => false, routes.Diagnostics, entry.Ref, origin);
        }
    }

    private static Entry Of(string kind, ObjectKey key, k8s.Models.V1ObjectMeta? metadata, IList<ParentReference>? parents, IList<string>? hostnames, IList<L4RouteRule>? rules) =>
        new(new ObjectRef(kind, key), metadata, parents, hostnames, rules);

    private bool Translate(Entry entry, ObjectOrigin origin, int rank)
    {
        var reference = entry.Ref;
        if (!routes.IsOurs(reference, entry.ParentRefs))
        {
            return true;
        }

        var transport = reference.Kind == KubeKinds.UdpRoute ? "UDP" : "TCP";
        var rules = entry.Rules ?? [];
        var unresolved = new List<(string Reason, string Message)>();
        for (var r = 1; r < rules.Count; r++)
        {
            routes.Refused(reference, origin, $"spec.rules[{r}]", [$"a {reference.Kind} is served by its first rule only (the connection carries nothing else to choose a rule by)"]);
        }

        var rule = rules.Count > 0 ? rules[0] ?? new L4RouteRule() : new L4RouteRule();
        var splits = routes.CompileBackends(reference, rule.BackendRefs, "spec.rules[0]", unresolved, transport: transport, into: Backends);
        var resolved = routes.Resolved(reference, origin, unresolved, "its share of connections is closed");
        var source = $"{reference} spec.rules[0]";
        routes.Serve(
            reference,
            origin,
            entry.Metadata?.Generation,
            entry.ParentRefs,
            entry.Hostnames,
            [],
            resolved,
            rank,
            emit: (listener, host) => Attached.Add(new GatewayL4Route(listener, host, reference, source, splits, rank)));
        return true;
    }

    /// <summary>What the three L4 route kinds share, for one pass over them in age order.</summary>
    private sealed record Entry(ObjectRef Ref, k8s.Models.V1ObjectMeta? Metadata, IList<ParentReference>? ParentRefs, IList<string>? Hostnames, IList<L4RouteRule>? Rules);
}
