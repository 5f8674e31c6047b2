using System.Collections.Immutable;

namespace OneHop.Core.Configuration;

/// <summary>
/// Where an L4 listener sends a connection: a Service port or an upstream. On a <c>tls-passthrough</c> listener, routes
/// are chosen by the ClientHello's SNI (exact hosts, then <c>*.wildcards</c>, then the route without hosts).
/// </summary>
/// <param name="Hosts">SNI names, lowercase; empty for every name (and for tcp and udp listeners).</param>
/// <param name="Service">The Service port, or null when <paramref name="Upstream"/> is set.</param>
/// <param name="Upstream">A config upstream's name, or null when <paramref name="Service"/> is set.</param>
/// <param name="ProxyProtocolToBackend">The PROXY protocol header written to the pod first, if any.</param>
/// <param name="Field">Where it was written (<c>listeners[2].routes[0]</c>), for the translator's findings.</param>
internal sealed record L4RouteConfig(
    ImmutableArray<string> Hosts,
    ServicePortRef? Service,
    string? Upstream,
    ProxyProtocolVersion? ProxyProtocolToBackend,
    string Field)
{
    public bool Equals(L4RouteConfig? other) =>
        other is not null && Service == other.Service && Upstream == other.Upstream && ProxyProtocolToBackend == other.ProxyProtocolToBackend
        && Field == other.Field && Hosts.SequenceEqual(other.Hosts);

    public override int GetHashCode() => HashCode.Combine(Service, Upstream, Hosts.Length);
}
