namespace OneHop.Core.Configuration;

/// <summary>Where this OneHop replica runs, for zone-aware routing.</summary>
/// <param name="Zone">The replica's zone (e.g. <c>topology.kubernetes.io/zone</c> of its node); null: no zone preference.</param>
/// <param name="TrafficShare">The share of all traffic (0..1] that enters through this zone's replicas; null: spread
/// evenly over the zones that have endpoints.</param>
internal sealed record TopologySettings(string? Zone = null, double? TrafficShare = null);
