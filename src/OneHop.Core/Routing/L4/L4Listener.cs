using System.Collections.Immutable;
using OneHop.Core.Configuration;

namespace OneHop.Core.Routing.L4;

/// <summary>An L4 listener and its routes, from the config file, a tcp/udp-services ConfigMap entry or a Gateway listener.</summary>
/// <param name="Name">
/// The config listener's name, <c>NAMESPACE/CONFIGMAP/PORT</c> for a ConfigMap entry, or
/// <c>gateway/PROTOCOL/ADDRESS:PORT</c> for the TCP, UDP and TLS listeners of Gateways on one port.
/// </param>
/// <param name="Protocol">Tcp, Udp or TlsPassthrough.</param>
/// <param name="Routes">For tls-passthrough in matching order (exact names, wildcards, then every name); else one.</param>
/// <param name="IdleTimeout">A connection (UDP: a session) that moves no byte for this long is closed.</param>
/// <param name="DrainTimeout">How long connections to a pod that left, or through a listener that closes, go on.</param>
/// <param name="Live">
/// Bound by the data plane when it appears and closed when it goes (ConfigMaps and Gateways change live, as with
/// ingress-nginx); config listeners are bound at start-up.
/// </param>
internal sealed record L4Listener(
    string Name,
    ListenerProtocol Protocol,
    ListenAddress Address,
    ImmutableArray<L4Route> Routes,
    TimeSpan IdleTimeout,
    TimeSpan DrainTimeout,
    bool Live,
    string Source)
{
    public bool Equals(L4Listener? other) =>
        other is not null && Name == other.Name && Protocol == other.Protocol && Address == other.Address && IdleTimeout == other.IdleTimeout
        && DrainTimeout == other.DrainTimeout && Live == other.Live && Source == other.Source && Routes.SequenceEqual(other.Routes);

    public override int GetHashCode() => HashCode.Combine(Name, Routes.Length);
}
