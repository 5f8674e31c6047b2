using System.Collections.Immutable;
using System.Globalization;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.Routing.Ingresses;
using OneHop.Core.State;

namespace OneHop.Core.Routing.L4;

/// <summary>
/// The L4 half of the translation: config listeners (tcp, udp, tls-passthrough), ingress-nginx's tcp/udp-services
/// ConfigMap entries, Gateways' TCP, UDP and TLS listeners, and the hosts of ssl-passthrough Ingresses, each resolved to pods through the same
/// <see cref="ServiceBackendResolver"/> as Ingresses. A route whose Service or port does not exist is reported and
/// keeps its last good target when it has one. Pure, like the rest of the translator.
/// </summary>
internal sealed partial class L4Translator(TranslatorInput input, ServiceBackendResolver services, List<Diagnostic> diagnostics)
{
    private static readonly ObjectOrigin ConfigOrigin = new("config");

    private readonly Dictionary<string, Backend> _backends = new(StringComparer.Ordinal);
    private readonly HashSet<string> _adjusted = new(StringComparer.Ordinal);
    private readonly ImmutableDictionary<string, L4RouteConfig>.Builder _memory = ImmutableDictionary.CreateBuilder<string, L4RouteConfig>(StringComparer.Ordinal);

    private OneHopConfig Config => input.Config;

    /// <summary>The L4 snapshot (null when nothing is L4) and the last good targets for the next translation.</summary>
    public (L4Snapshot? Snapshot, ImmutableDictionary<string, L4RouteConfig> Memory) Translate(IReadOnlyList<CompiledIngress> ingresses, L4RouteTranslator? gateway = null)
    {
        var listeners = new List<L4Listener>();
        foreach (var (listener, index) in Config.Listeners.Select((l, i) => (l, i)))
        {
            if (listener.L4 is { } l4 && listener.Protocol.IsL4())
            {
                listeners.Add(FromConfig(listener, l4, $"listeners[{index}]"));
            }
        }

        FromConfigMap(Config.Ingress.TcpServicesConfigMap, udp: false, listeners);
        FromConfigMap(Config.Ingress.UdpServicesConfigMap, udp: true, listeners);
        if (gateway is not null)
        {
            FromGateways(gateway, listeners);
        }

        var passthrough = Passthrough(ingresses);
        if (listeners.Count == 0 && passthrough.IsEmpty)
        {
            return (null, _memory.ToImmutable());
        }

        var snapshot = new L4Snapshot(
            [.. listeners.OrderBy(l => l.Name, StringComparer.Ordinal)],
            passthrough,
            [.. _backends.Values.OrderBy(b => b.Id, StringComparer.Ordinal)]);
        return (snapshot, _memory.ToImmutable());
    }

    private L4Listener FromConfig(ListenerConfig listener, L4ListenerConfig l4, string field)
    {
        var udp = listener.Protocol.IsUdp();
        var routes = new List<L4Route>();
        foreach (var route in l4.Routes)
        {
            var backend = ResolveKept($"{listener.Name}/{string.Join(',', route.Hosts)}", route, udp, null, ConfigOrigin);
            foreach (var host in route.Hosts.IsEmpty ? [string.Empty] : route.Hosts)
            {
                routes.Add(new L4Route(RouteId(listener.Name, host), host, backend.Id, route.ProxyProtocolToBackend, $"config {route.Field}"));
            }
        }

        return new L4Listener(
            listener.Name,
            listener.Protocol,
            listener.Address,
            Ordered(routes),
            l4.IdleTimeout,
            l4.DrainTimeout ?? Config.Defaults.DrainTimeout,
            Live: false,
            $"config {field}");
    }

    /// <summary>Every valid entry of the named ConfigMap becomes a listener on <c>ingress.servicesAddress</c>; bad ones are reported and left out.</summary>
    private void FromConfigMap(ObjectKey? key, bool udp, List<L4Listener> listeners)
    {
        if (key is not { } mapKey)
        {
            return;
        }

        var option = udp ? "--udp-services-configmap" : "--tcp-services-configmap";
        var reference = new ObjectRef(KubeKinds.ConfigMap, mapKey);
        if (!input.Cluster.ConfigMaps.TryGetValue(mapKey, out var map))
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnknownConfigMap, $"the ConfigMap named by {option} does not exist (yet); it opens no port", reference, ConfigOrigin));
            return;
        }

        var origin = input.Cluster.OriginOf(reference);
        listeners.AddRange(TranslationGuard.Run(() => Entries(map, mapKey, reference, origin, udp), () => [], diagnostics, reference, origin));
    }

    private List<L4Listener> Entries(k8s.Models.V1ConfigMap map, ObjectKey mapKey, ObjectRef reference, ObjectOrigin origin, bool udp)
    {
        var listeners = new List<L4Listener>();
        var protocol = udp ? ListenerProtocol.Udp : ListenerProtocol.Tcp;
        var entries = (map.Data ?? new Dictionary<string, string>())
            .OrderBy(e => int.TryParse(e.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue)
            .ThenBy(e => e.Key, StringComparer.Ordinal);
        foreach (var (entryKey, value) in entries)
        {
            var field = $"data[{entryKey}]";
            if (ServicesConfigMap.Parse(entryKey, value, field, udp, out var error) is not var (port, route))
            {
                // An edit that broke the value of a port already served keeps the port on its last good target.
                if (LastGoodEntry(mapKey, entryKey) is var (keptPort, keptRoute))
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidConfigMapEntry, $"{error}; the port keeps its last good target, {keptRoute.Service}", reference, origin, field));
                    (port, route) = (keptPort, keptRoute);
                }
                else
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidConfigMapEntry, $"{error}; this port is not opened", reference, origin, field));
                    continue;
                }
            }

            var address = new ListenAddress(Config.Ingress.ServicesAddress, port);
            if (Config.Listeners.FirstOrDefault(l => l.Protocol.IsUdp() == udp && l.Address.Overlaps(address)) is { } taken)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.PortConflict,
                    $"{(udp ? "UDP" : "TCP")} port {port} is already taken by listener '{taken.Name}' ({taken.Address}); this entry is not opened",
                    reference,
                    origin,
                    field));
                continue;
            }

            var name = EntryName(mapKey, port);
            var backend = ResolveKept(name, route, udp, reference, origin);
            listeners.Add(new L4Listener(
                name,
                protocol,
                address,
                [new L4Route(RouteId(name, string.Empty), string.Empty, backend.Id, route.ProxyProtocolToBackend, $"{reference} {field}")],
                udp ? L4ListenerConfig.DefaultUdpIdleTimeout : L4ListenerConfig.DefaultTcpIdleTimeout,
                Config.Defaults.DrainTimeout,
                Live: true,
                $"{reference} {field}"));
        }

        return listeners;
    }

    /// <summary>
    /// The hosts of ssl-passthrough Ingresses, oldest Ingress first: each host goes to the backend of its <c>/</c> path
    /// over TCP. A host without <c>/</c>, a rule without a host (SNI needs a name), or a host an older Ingress already
    /// passes through are reported.
    /// </summary>
    private ImmutableArray<L4Route> Passthrough(IReadOnlyList<CompiledIngress> ingresses)
    {
        var owners = new Dictionary<string, ObjectRef>(StringComparer.Ordinal);
        var routes = new List<L4Route>();
        foreach (var ingress in ingresses.Where(i => i.SslPassthrough))
        {
            foreach (var host in ingress.Rules.Select(r => r.Host).Distinct(StringComparer.Ordinal))
            {
                var rules = ingress.Rules.Where(r => r.Host == host).ToList();
                if (host.Length == 0)
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidHost, "ssl-passthrough needs a host on every rule: the ClientHello's SNI is all there is to route by; this rule is not passed through", ingress.Ref, ingress.Origin, rules[0].Field));
                    continue;
                }

                if (rules.FirstOrDefault(r => r.Path == "/" && r.PathType == PathMatchType.Prefix) is not { } root)
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidPath, $"ssl-passthrough sends all of '{host}' to one backend, that of its path / (Prefix), which this Ingress lacks; the host is not passed through", ingress.Ref, ingress.Origin, rules[0].Field));
                    continue;
                }

                if (!owners.TryAdd(host, ingress.Ref))
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RouteConflict, $"host '{host}' is already passed through by {owners[host]}, which is older; this rule is ignored", ingress.Ref, ingress.Origin, root.Field));
                    continue;
                }

                var backend = Adjusted(services.Resolve(root.Backend, ingress.PolicySettings, "TCP"), udp: false);
                _backends[backend.Id] = backend;
                routes.Add(new L4Route(RouteId("passthrough", host), host, backend.Id, null, $"{ingress.Ref} {root.Field}"));
            }
        }

        return Ordered(routes);
    }

    /// <summary>The last good route of a ConfigMap entry whose key is a port, from the previous translations.</summary>
    private (int Port, L4RouteConfig Route)? LastGoodEntry(ObjectKey mapKey, string entryKey) =>
        int.TryParse(entryKey, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            && input.Memory.LastGoodL4.TryGetValue(EntryName(mapKey, port), out var last)
            ? (port, last)
            : null;

    private static string EntryName(ObjectKey mapKey, int port) => $"{mapKey.Namespace}/{mapKey.Name}/{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The route's backend. When its Service or port does not exist, that is reported, and the route keeps the last
    /// target that resolved (if it still does) instead of closing every connection.
    /// </summary>
    private Backend ResolveKept(string key, L4RouteConfig route, bool udp, ObjectRef? owner, ObjectOrigin origin)
    {
        var backend = Resolve(route, udp);
        if (backend.Problem is null)
        {
            _memory[key] = route;
            return Keep(backend);
        }

        var problem = route.Service is { } service ? services.Problem(Ref(service), udp ? "UDP" : "TCP") : null;
        var field = owner is null ? $"{route.Field}.{(route.Service is null ? "upstream" : "service")}" : route.Field;
        diagnostics.Add(Diagnostic.Error(problem?.Code ?? DiagnosticCodes.UnknownService, problem?.Message ?? backend.Problem, owner, origin, field));
        if (input.Memory.LastGoodL4.TryGetValue(key, out var last) && last != route && Resolve(last, udp) is { Problem: null } kept)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.LastGoodKept, $"connections keep going to {last.Service?.ToString() ?? last.Upstream}, the last target that existed", owner, origin, field));
            _memory[key] = last;
            return Keep(kept);
        }

        return Keep(backend);
    }

    private Backend Resolve(L4RouteConfig route, bool udp)
    {
        if (route.Service is { } service)
        {
            return Adjusted(services.Resolve(Ref(service), [], udp ? "UDP" : "TCP"), udp);
        }

        var transport = udp ? "udp" : "tcp";
        var upstream = Config.Upstreams.First(u => u.Name == route.Upstream);
        var id = $"{transport}/upstream/{upstream.Name}";
        return Adjusted(
            new Backend(id, id, BackendKind.Upstream, BackendProtocol.Http, upstream.Policy, [.. upstream.Endpoints.Select(e => new BackendEndpoint(e.Host, e.Port, EndpointState.Ready, Zone: e.Zone, Weight: e.Weight))]),
            udp);
    }

    private Backend Keep(Backend backend)
    {
        _backends[backend.Id] = backend;
        return backend;
    }

    /// <summary>
    /// A connection has a client address and nothing else: cookie affinity and hash keys other than the client address
    /// fall back to what a connection can use (reported once per backend). UDP balances by client address (Maglev) unless
    /// an algorithm other than the default is chosen, and has no connect to probe.
    /// </summary>
    private Backend Adjusted(Backend backend, bool udp)
    {
        var policy = backend.Policy;
        var notes = new List<string>();
        if (policy.LoadBalancing == BalancingAlgorithms.Cookie)
        {
            notes.Add("cookie affinity needs cookies, which a connection has not: p2c is used");
            policy = policy with { LoadBalancing = BalancingAlgorithms.PowerOfTwoChoices };
        }

        if (policy.HashKey.Source != HashKeySource.ClientIp)
        {
            notes.Add($"hash key {policy.HashKey.Source} does not exist on a connection: the client address is hashed");
            policy = policy with { HashKey = HashKey.ClientIp };
        }

        if (udp && policy.LoadBalancing == BalancingAlgorithms.Default)
        {
            policy = policy with { LoadBalancing = BalancingAlgorithms.Maglev };
        }

        if (udp && policy.Probe is not null)
        {
            notes.Add("UDP has no connect to probe: active health checks are off (passive ejection still applies)");
            policy = policy with { Probe = null };
        }

        if (notes.Count > 0 && _adjusted.Add(backend.Id))
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.L4PolicyAdjusted, $"{backend.Name}: {string.Join("; ", notes)}"));
        }

        var protocol = udp ? BackendProtocol.Udp : BackendProtocol.Tcp;
        return policy == backend.Policy && protocol == backend.Protocol ? backend : backend with { Policy = policy, Protocol = protocol };
    }

    private static BackendRef Ref(ServicePortRef service) => new(service.Namespace, service.Name, service.PortName, service.PortNumber);

    private static string RouteId(string listener, string host) => $"{listener}/{(host.Length == 0 ? "_" : host)}";

    /// <summary>Exact names, then wildcards, then the route for every name: the order SNI is matched in.</summary>
    private static ImmutableArray<L4Route> Ordered(IEnumerable<L4Route> routes) =>
        [.. routes.OrderBy(r => r.Host.Length == 0 ? 2 : HostRules.IsWildcard(r.Host) ? 1 : 0).ThenBy(r => r.Host, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)];
}
