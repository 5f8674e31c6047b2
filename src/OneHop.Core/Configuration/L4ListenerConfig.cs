using System.Collections.Immutable;

namespace OneHop.Core.Configuration;

/// <summary>
/// What an L4 listener (<c>tcp</c>, <c>udp</c>, <c>tls-passthrough</c>) routes to. Unlike its address, this follows the
/// config file live.
/// </summary>
/// <param name="Routes">One route for tcp and udp; for tls-passthrough, one per SNI rule.</param>
/// <param name="IdleTimeout">A connection (or UDP session) that moves no byte for this long is closed.</param>
/// <param name="DrainTimeout">How long connections to a pod that left keep going; null: <c>defaults.drainTimeout</c>.</param>
internal sealed record L4ListenerConfig(ImmutableArray<L4RouteConfig> Routes, TimeSpan IdleTimeout, TimeSpan? DrainTimeout = null)
{
    /// <summary>TCP connections: an hour of silence, since database pools keep idle connections for long.</summary>
    public static readonly TimeSpan DefaultTcpIdleTimeout = TimeSpan.FromHours(1);

    /// <summary>UDP sessions: a minute (Envoy's UDP proxy default); a DNS query is one datagram each way.</summary>
    public static readonly TimeSpan DefaultUdpIdleTimeout = TimeSpan.FromMinutes(1);

    public bool Equals(L4ListenerConfig? other) =>
        other is not null && IdleTimeout == other.IdleTimeout && DrainTimeout == other.DrainTimeout && Routes.SequenceEqual(other.Routes);

    public override int GetHashCode() => HashCode.Combine(Routes.Length, IdleTimeout);
}
