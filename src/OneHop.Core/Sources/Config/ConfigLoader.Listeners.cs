using System.Collections.Immutable;
using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.State;

namespace OneHop.Core.Sources.Config;

/// <summary>The listeners: HTTP ones, and L4 ones (tcp, udp, tls-passthrough) with their routes.</summary>
internal static partial class ConfigLoader
{
    private sealed partial class Validator
    {
        private static readonly string ProtocolNames = string.Join(", ", ListenerProtocols.All.Select(p => p.Name));

        private ImmutableArray<ListenerConfig> Listeners(List<ListenerDocument> listeners, HashSet<string> upstreams, ListenAddress? admin)
        {
            var result = ImmutableArray.CreateBuilder<ListenerConfig>();
            var fields = new List<string>();
            foreach (var (doc, i, field) in Items(listeners, "listeners"))
            {
                var protocol = ListenerProtocols.Parse(doc.Protocol ?? "http");
                if (protocol is null)
                {
                    Error($"{field}.protocol", $"'{doc.Protocol}' is not one of {ProtocolNames}");
                }

                var name = doc.Name ?? $"{doc.Protocol ?? "http"}-{i}";
                if (doc.MaxConnections is < 1)
                {
                    Error($"{field}.maxConnections", "must be at least 1");
                }

                var proxyProtocol = doc.ProxyProtocol is null ? null : ProxyProtocol(doc.ProxyProtocol, $"{field}.proxyProtocol");
                if (proxyProtocol is not null && protocol == ListenerProtocol.Udp)
                {
                    Error($"{field}.proxyProtocol", "PROXY protocol from a firewall in front is read on TCP listeners only; a udp listener cannot have it");
                }
                else if (proxyProtocol is { SchemeFrom: not ClientSchemeSource.Connection } && protocol is { } layer4 && layer4.IsL4())
                {
                    Error($"{field}.proxyProtocol.schemeFrom", $"a {doc.Protocol} listener reads no HTTP headers; schemeFrom is for http, https and h2c listeners");
                }

                var l4 = protocol is { } known && known.IsL4() ? L4Listener(doc, known, field, upstreams) : NoL4Fields(doc, field);
                if (Address(doc.Address, $"{field}.address") is { } address)
                {
                    if (result.Any(l => l.Name == name))
                    {
                        Error($"{field}.name", $"another listener is already named '{name}'");
                    }

                    result.Add(new ListenerConfig(name, address, protocol ?? ListenerProtocol.Http, proxyProtocol, doc.MaxConnections, l4));
                    fields.Add(field);
                }
            }

            CheckPorts(result, fields, admin);
            return result.ToImmutable();
        }

        /// <summary>
        /// Two listeners clash when they would bind the same port on the same transport (UDP beside TCP is fine, as DNS
        /// does on port 53) and their addresses overlap: equal, or one of them every address. Port 0 (any free port) never
        /// clashes.
        /// </summary>
        private void CheckPorts(ImmutableArray<ListenerConfig>.Builder listeners, List<string> fields, ListenAddress? admin)
        {
            for (var i = 0; i < listeners.Count; i++)
            {
                var listener = listeners[i];
                var taken = listeners.Take(i).FirstOrDefault(other => Clash(listener.Address, listener.Protocol.IsUdp(), other.Address, other.Protocol.IsUdp()));
                if (taken is not null)
                {
                    Error($"{fields[i]}.address", $"port {listener.Address.Port} is already taken by listener '{taken.Name}' ({taken.Address}); each port and transport can have one listener");
                }
                else if (admin is { } a && Clash(listener.Address, listener.Protocol.IsUdp(), a, false))
                {
                    Error($"{fields[i]}.address", $"port {listener.Address.Port} is already taken by the admin API ({a})");
                }
            }
        }

        private static bool Clash(ListenAddress a, bool aUdp, ListenAddress b, bool bUdp) => aUdp == bUdp && a.Overlaps(b);

        /// <summary>An HTTP listener routes by Host and path; the L4 fields on one are a mistake worth saying so.</summary>
        private L4ListenerConfig? NoL4Fields(ListenerDocument doc, string field)
        {
            (string Name, object? Value)[] l4Only =
            [
                ("service", doc.Service), ("upstream", doc.Upstream), ("routes", doc.Routes),
                ("proxyProtocolToBackend", doc.ProxyProtocolToBackend), ("idleTimeout", doc.IdleTimeout), ("drainTimeout", doc.DrainTimeout),
            ];
            foreach (var (name, value) in l4Only.Where(f => f.Value is not null))
            {
                Error($"{field}.{name}", $"only tcp, udp and tls-passthrough listeners take {name}; this one is {doc.Protocol ?? "http"} (HTTP listeners route by Ingresses and routes:)");
            }

            return null;
        }

        private L4ListenerConfig L4Listener(ListenerDocument doc, ListenerProtocol protocol, string field, HashSet<string> upstreams)
        {
            var kind = ListenerProtocols.Name(protocol);
            var udp = protocol == ListenerProtocol.Udp;
            var listenerProxy = ToBackend(doc.ProxyProtocolToBackend, $"{field}.proxyProtocolToBackend", udp);
            var routes = ImmutableArray.CreateBuilder<L4RouteConfig>();
            if (protocol == ListenerProtocol.TlsPassthrough)
            {
                foreach (var (route, _, routeField) in Items(doc.Routes ?? [], $"{field}.routes"))
                {
                    if (L4Route(route.Hosts ?? [], route.Service, route.Upstream, route.ProxyProtocolToBackend, routeField, upstreams, listenerProxy, udp) is { } added)
                    {
                        routes.Add(added);
                    }
                }

                // A service or upstream on the listener itself is the route for every other name.
                if ((doc.Service ?? doc.Upstream) is not null
                    && L4Route([], doc.Service, doc.Upstream, null, field, upstreams, listenerProxy, udp) is { } fallback)
                {
                    routes.Add(fallback);
                }

                if (doc.Routes is null or { Count: 0 } && doc.Service is null && doc.Upstream is null)
                {
                    Error($"{field}.routes", "a tls-passthrough listener needs routes by SNI (hosts + service or upstream), or a service or upstream for every name");
                }

                CheckSniHosts(routes);
            }
            else
            {
                if (doc.Routes is not null)
                {
                    Error($"{field}.routes", $"a {kind} listener has no routes: they choose by the TLS ClientHello's SNI, which only tls-passthrough listeners read; give service or upstream");
                }

                if (doc.Service is null && doc.Upstream is null)
                {
                    Error(field, $"a {kind} listener needs service (NAMESPACE/NAME:PORT) or upstream (a config upstream's name)");
                }
                else if (L4Route([], doc.Service, doc.Upstream, null, field, upstreams, listenerProxy, udp) is { } route)
                {
                    routes.Add(route);
                }
            }

            var idle = Duration(doc.IdleTimeout, $"{field}.idleTimeout") ?? (udp ? L4ListenerConfig.DefaultUdpIdleTimeout : L4ListenerConfig.DefaultTcpIdleTimeout);
            return new L4ListenerConfig(routes.ToImmutable(), idle, Duration(doc.DrainTimeout, $"{field}.drainTimeout"));
        }

        private L4RouteConfig? L4Route(
            List<string> hostList,
            string? service,
            string? upstream,
            string? proxy,
            string field,
            HashSet<string> upstreams,
            ProxyProtocolVersion? listenerProxy,
            bool udp)
        {
            var hosts = ImmutableArray.CreateBuilder<string>();
            for (var h = 0; h < hostList.Count; h++)
            {
                var host = hostList[h]?.ToLowerInvariant();
                if (host is null)
                {
                    Error($"{field}.hosts[{h}]", "a host must be a name, not null");
                }
                else if (HostRules.Validate(host) is { } hostError)
                {
                    Error($"{field}.hosts[{h}]", $"'{host}': {hostError}");
                }
                else
                {
                    hosts.Add(host);
                }
            }

            var version = ToBackend(proxy, $"{field}.proxyProtocolToBackend", udp) ?? listenerProxy;
            if (service is not null && upstream is not null)
            {
                Error(field, "give service or upstream, not both");
                return null;
            }

            if (service is not null)
            {
                var reference = ServicePortRef.Parse(service, out var error);
                if (reference is null)
                {
                    Error($"{field}.service", error!);
                    return null;
                }

                return new L4RouteConfig(hosts.ToImmutable(), reference, null, version, field);
            }

            if (upstream is null)
            {
                Error(field, "a route needs service (NAMESPACE/NAME:PORT) or upstream");
                return null;
            }

            if (!upstreams.Contains(upstream))
            {
                Error($"{field}.upstream", $"no upstream is named '{upstream}'");
                return null;
            }

            return new L4RouteConfig(hosts.ToImmutable(), null, upstream, version, field);
        }

        /// <summary>Every SNI name (and "no name") may have one route on a listener.</summary>
        private void CheckSniHosts(ImmutableArray<L4RouteConfig>.Builder routes)
        {
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var route in routes)
            {
                foreach (var host in route.Hosts.IsEmpty ? [string.Empty] : route.Hosts)
                {
                    if (!owners.TryAdd(host, route.Field))
                    {
                        Error(route.Field, host.Length == 0
                            ? $"{owners[host]} already takes every other name; one route without hosts per listener"
                            : $"host '{host}' is already routed by {owners[host]}");
                    }
                }
            }
        }

        private ProxyProtocolVersion? ToBackend(string? text, string field, bool udp)
        {
            if (text is null)
            {
                return null;
            }

            if (udp)
            {
                Error(field, "PROXY protocol to pods is written on TCP connections; a udp listener cannot send it");
                return null;
            }

            switch (text)
            {
                case "v1":
                    return ProxyProtocolVersion.V1;
                case "v2":
                    return ProxyProtocolVersion.V2;
                default:
                    Error(field, $"'{text}' is not v1 or v2");
                    return null;
            }
        }

        /// <summary>An ingress-nginx style <c>NAMESPACE/NAME</c> of a ConfigMap.</summary>
        private ObjectKey? ConfigMapKey(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }

            if (text.Split('/') is [{ Length: > 0 } ns, { Length: > 0 } name] && !name.StartsWith('*') && HostRules.Validate(ns) is null && HostRules.Validate(name) is null && !ns.Contains('.', StringComparison.Ordinal))
            {
                return new ObjectKey(ns, name);
            }

            Error(field, $"'{text}' is not NAMESPACE/NAME of a ConfigMap, e.g. ingress-nginx/tcp-services");
            return null;
        }

        private IPAddress ServicesAddress(string? text)
        {
            if (text is null)
            {
                return IPAddress.Any;
            }

            if (IPAddress.TryParse(text.Trim('[', ']'), out var address))
            {
                return address;
            }

            Error("ingress.servicesAddress", $"'{text}' is not an IP address (0.0.0.0 for every address)");
            return IPAddress.Any;
        }
    }
}
