using System.Collections.Immutable;
using OneHop.Core.Configuration;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>One match of a route rule, as a path and the conditions beside it.</summary>
internal sealed record CompiledRouteMatch(int Index, string Path, PathMatchType PathType, RouteConditions? Conditions);

/// <summary>A valid route rule of an HTTPRoute or GRPCRoute: its matches, filters, weighted backends and timeouts.</summary>
internal sealed record CompiledRouteRule(int Index, List<CompiledRouteMatch> Matches, RouteFilters? Filters, ImmutableArray<RouteBackend> Splits, TimeSpan? Timeout)
{
    /// <summary>The rule's <c>timeouts.backendRequest</c>: the longest one attempt may take.</summary>
    public TimeSpan? BackendTimeout { get; init; }

    /// <summary>The rule's <c>retry</c>; null for OneHop's own retries.</summary>
    public RouteRetry? Retry { get; init; }

    /// <summary>The single backend when the rule has exactly one resolved backend with weight; else empty (splits decide).</summary>
    public string BackendId => Splits is [{ BackendId: { } id, Weight: > 0 }] ? id : string.Empty;
}
