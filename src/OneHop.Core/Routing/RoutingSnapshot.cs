using System.Collections.Immutable;

namespace OneHop.Core.Routing;

/// <summary>
/// Everything the data plane needs to route, as one immutable value: built by the translator, swapped atomically.
/// </summary>
/// <param name="Routes">Every route, sorted by host then precedence (the order a request is matched in).</param>
/// <param name="DefaultRoute">Where requests that match no route go; none means 404.</param>
/// <param name="Backends">Every backend a route uses, sorted by id.</param>
internal sealed record RoutingSnapshot(
    ImmutableArray<Route> Routes,
    Route? DefaultRoute,
    ImmutableArray<Backend> Backends)
{
    public static readonly RoutingSnapshot Empty = new([], null, []);

    public bool Equals(RoutingSnapshot? other) =>
        other is not null && DefaultRoute == other.DefaultRoute
        && Routes.SequenceEqual(other.Routes) && Backends.SequenceEqual(other.Backends);

    public override int GetHashCode() => HashCode.Combine(Routes.Length, Backends.Length);
}
