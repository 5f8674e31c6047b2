using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.State;

namespace OneHop.Core.Routing.L4;

/// <summary>
/// Gateways' TCP, UDP and TLS listeners: the listeners of one port and protocol, of any Gateway, become one L4 listener
/// on each <c>--gateway-address</c>, bound while they exist, with the routes attached to them. A TCP or UDP port has one
/// route (the oldest attached); a TLS port one per SNI name (exact, then wildcard, then every name), the oldest route of
/// each name, which passes the TLS through or terminates it as its listener's mode says (Passthrough and Terminate
/// listeners may share a port, told apart by SNI). Each route splits connections among its backends by weight.
/// </summary>
internal sealed partial class L4Translator
{
    private void FromGateways(L4RouteTranslator gateway, List<L4Listener> listeners)
    {
        var all = gateway.Listeners.All.ToList();
        var httpPorts = all.Where(l => l.Protocol is "HTTP" or "HTTPS").Select(l => l.Port).ToHashSet();
        var byPort = all.Where(l => l.Protocol is "TCP" or "UDP" or "TLS")
            .GroupBy(l => (Udp: l.Protocol == "UDP", l.Port))
            .OrderBy(g => g.Key.Port)
            .ThenBy(g => g.Key.Udp);
        foreach (var group in byPort)
        {
            var protocol = group.First().Protocol;
            var members = new List<AttachableListener>();
            foreach (var listener in group)
            {
                var taken = listener.Protocol != protocol ? $"port {listener.Port} is a {protocol} listener's of another Gateway"
                    : !group.Key.Udp && httpPorts.Contains(listener.Port) ? $"port {listener.Port} is an HTTP or HTTPS listener's of another Gateway"
                    : null;
                if (taken is null)
                {
                    members.Add(listener);
                    continue;
                }

                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.PortConflict, $"listener {listener.Name}: {taken}; this listener is not served", listener.Gateway, input.Cluster.OriginOf(listener.Gateway)));
            }

            if (members.Count > 0)
            {
                var reported = new HashSet<(ObjectRef, string)>();
                foreach (var address in Config.Gateway.EffectiveAddresses)
                {
                    if (GatewayListener(gateway, members, protocol, new ListenAddress(address, group.Key.Port), listeners, reported) is { } built)
                    {
                        listeners.Add(built);
                    }
                }
            }
        }
    }

    // reported: the route conflicts already reported on another address of the port (each is reported once).
    private L4Listener? GatewayListener(L4RouteTranslator gateway, List<AttachableListener> members, string protocol, ListenAddress address, List<L4Listener> listeners, HashSet<(ObjectRef, string)> reported)
    {
        var udp = protocol == "UDP";
        var first = members[0];
        if (Config.Listeners.Where(l => l.Protocol.IsUdp() == udp).Select(l => (l.Name, l.Address)).Concat(listeners.Where(l => l.Protocol.IsUdp() == udp).Select(l => (l.Name, l.Address)))
            .FirstOrDefault(l => l.Address.Overlaps(address)) is { Name: { } name } taken)
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.PortConflict,
                $"listener {first.Name}: {(udp ? "UDP" : "TCP")} {address} is already taken by listener '{name}' ({taken.Address}); it is not bound there",
                first.Gateway,
                input.Cluster.OriginOf(first.Gateway)));
            return null;
        }

        var listenerName = $"gateway/{protocol.ToLowerInvariant()}/{address}";
        var owners = new Dictionary<(string? Scope, string Host), GatewayL4Route>();
        var routes = new List<L4Route>();
        foreach (var attached in gateway.Attached.Where(a => members.Contains(a.Listener)).OrderBy(a => a.Rank))
        {
            // TCP and UDP listeners have no name to route by (the spec ignores their hostname).
            var host = protocol == "TLS" ? attached.Host : string.Empty;
            foreach (var scope in Scopes(attached.Listener, address.Address))
            {
                var key = (scope, host.ToLowerInvariant());
                if (!owners.TryAdd(key, attached))
                {
                    if (owners[key].Route != attached.Route && reported.Add((attached.Route, $"{scope}/{host}")))
                    {
                        diagnostics.Add(Diagnostic.Warning(
                            DiagnosticCodes.RouteConflict,
                            $"port {address.Port}{(host.Length == 0 ? string.Empty : $" name {host}")}{(scope is null ? string.Empty : $" on address {scope}")} is already routed by {owners[key].Route}, which is older; this route takes no connection there",
                            attached.Route,
                            input.Cluster.OriginOf(attached.Route)));
                    }

                    continue;
                }

                var id = $"{listenerName}/{(host.Length == 0 ? "_" : host)}{(scope is null ? string.Empty : $"@{scope}")}";
                routes.Add(GatewayRoute(gateway, attached, id, host, udp) with { Address = scope });
            }
        }

        return new L4Listener(
            listenerName,
            protocol switch { "UDP" => ListenerProtocol.Udp, "TLS" => ListenerProtocol.TlsPassthrough, _ => ListenerProtocol.Tcp },
            address,
            Ordered(routes),
            udp ? L4ListenerConfig.DefaultUdpIdleTimeout : L4ListenerConfig.DefaultTcpIdleTimeout,
            Config.Defaults.DrainTimeout,
            Live: true,
            string.Join(", ", members.Select(l => $"{l.Gateway} listener {l.Name}")));
    }

    /// <summary>
    /// The destination addresses a route of the listener takes connections to on the bound address: a Gateway with
    /// addresses of its own (<c>spec.addresses</c>) has its L4 routes on those alone, as its HTTP routes are, so Gateways
    /// sharing a port (and SNI names) are told apart by address: on a specific bind the bound address if it is one of
    /// them, on a wildcard bind (<c>0.0.0.0</c>, <c>::</c>) each of them, matched against the connection's own destination.
    /// A Gateway without addresses takes every address (null).
    /// </summary>
    private static IEnumerable<string?> Scopes(AttachableListener listener, IPAddress bound)
    {
        if (listener.Addresses.IsEmpty)
        {
            return [null];
        }

        var own = listener.Addresses.Select(a => IPAddress.TryParse(a, out var ip) ? ip : null).OfType<IPAddress>().Distinct();
        return bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any)
            ? [.. own.Where(ip => bound.Equals(IPAddress.IPv6Any) || ip.AddressFamily == bound.AddressFamily).Select(ip => ip.ToString())]
            : [.. own.Where(ip => ip.Equals(bound)).Select(ip => ip.ToString())];
    }

    /// <summary>A route of weighted backends; a backendRef that did not resolve takes its share to a backend without pods (closed).</summary>
    private L4Route GatewayRoute(L4RouteTranslator gateway, GatewayL4Route attached, string id, string host, bool udp)
    {
        var splits = new List<L4Split>();
        foreach (var split in attached.Splits)
        {
            var backend = split.BackendId is { } backendId && gateway.Backends.TryGetValue(backendId, out var resolved) ? Adjusted(resolved, udp) : Unresolved(udp);
            _backends[backend.Id] = backend;
            splits.Add(new L4Split(backend.Id, split.Weight));
        }

        var route = new L4Route(id, host, splits[0].BackendId, null, attached.Source)
        {
            TerminateTls = attached.Listener.TerminatesTls,
            SuffixWildcard = HostRules.IsWildcard(host),
            Certificate = attached.Listener.TerminatesTls ? attached.Listener.Certificate?.ToString() : null,
        };
        return splits is [{ Weight: > 0 }] ? route : route with { Splits = [.. splits] };
    }

    private Backend Unresolved(bool udp)
    {
        var transport = udp ? "udp" : "tcp";
        var id = $"{transport}/unresolved";
        return _backends.TryGetValue(id, out var known) ? known : new Backend(
            id,
            "unresolved backendRef",
            BackendKind.Service,
            udp ? BackendProtocol.Udp : BackendProtocol.Tcp,
            Config.Defaults.Policy,
            [],
            "a backendRef of the route does not resolve: its share of connections is closed");
    }
}
