using System.Collections.Immutable;

namespace OneHop.Core.Routing;

/// <summary>
/// Per-client-address limits on a route (ingress-nginx's <c>limit-rps</c>, <c>limit-rpm</c>, <c>limit-connections</c>):
/// a request over any of them is answered 503, or the status its limit names. Each replica counts on its own, as each
/// ingress-nginx pod does, unless <c>limits.sharedRates</c> names a store the replicas count the rates in together.
/// </summary>
/// <param name="RequestsPerSecond">Requests a second from one address, 0 for no such limit.</param>
/// <param name="RequestsPerMinute">Requests a minute from one address, 0 for no such limit.</param>
/// <param name="Connections">Requests in progress at once from one address, 0 for no such limit.</param>
/// <param name="BurstMultiplier">The burst on top of a rate, as a multiple of it (nginx's <c>burst</c>, <c>nodelay</c>).</param>
/// <param name="Exempt">Networks never limited (<c>limit-allowlist</c>), as written.</param>
internal sealed record RouteRateLimit(int RequestsPerSecond, int RequestsPerMinute, int Connections, int BurstMultiplier, ImmutableArray<string> Exempt)
{
    /// <summary>The status a request over a rate is answered with (ingress-nginx's <c>limit-req-status-code</c>, default 503).</summary>
    public int RateStatus { get; init; } = 503;

    /// <summary>The status a request over <see cref="Connections"/> is answered with (<c>limit-conn-status-code</c>, default 503).</summary>
    public int ConnectionsStatus { get; init; } = 503;

    /// <summary>
    /// Whose limits these are (the Ingress, <c>namespace/name</c>): each Ingress counts its clients on its own, as
    /// ingress-nginx gives each Ingress zones of its own, and the shared store names its buckets by it.
    /// </summary>
    public string Zone { get; init; } = string.Empty;

    public bool Equals(RouteRateLimit? other) =>
        other is not null && RequestsPerSecond == other.RequestsPerSecond && RequestsPerMinute == other.RequestsPerMinute
        && Connections == other.Connections && BurstMultiplier == other.BurstMultiplier && RateStatus == other.RateStatus
        && ConnectionsStatus == other.ConnectionsStatus && Zone == other.Zone && Exempt.SequenceEqual(other.Exempt);

    public override int GetHashCode() => HashCode.Combine(RequestsPerSecond, RequestsPerMinute, Connections, BurstMultiplier, Zone, Exempt.Length);
}
