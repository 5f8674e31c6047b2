using System.Collections.Immutable;
using OneHop.Core.State;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// What the translator concluded about every Gateway API object of OneHop's classes: the conditions the spec asks a
/// controller to write (the status publisher writes them when it leads) and what /api/status shows.
/// </summary>
internal sealed record GatewayApiStatus(
    ImmutableArray<GatewayClassStatusReport> Classes,
    ImmutableArray<GatewayStatusReport> Gateways,
    ImmutableArray<RouteStatusReport> Routes)
{
    public static readonly GatewayApiStatus Empty = new([], [], []);

    /// <summary>BackendTLSPolicies' status: per policy the Gateways whose routes reach its targets, and its conditions.</summary>
    public ImmutableArray<PolicyStatusReport> Policies { get; init; } = [];

    /// <summary>ListenerSets' status, as a Gateway's (their <see cref="GatewayStatusReport.Ref"/> is of kind ListenerSet).</summary>
    public ImmutableArray<GatewayStatusReport> ListenerSets { get; init; } = [];

    public bool Equals(GatewayApiStatus? other) =>
        other is not null && Classes.SequenceEqual(other.Classes) && Gateways.SequenceEqual(other.Gateways) && Routes.SequenceEqual(other.Routes)
        && Policies.SequenceEqual(other.Policies) && ListenerSets.SequenceEqual(other.ListenerSets);

    public override int GetHashCode() => HashCode.Combine(Classes.Length, Gateways.Length, Routes.Length);
}

internal sealed record GatewayClassStatusReport(ObjectRef Ref, long? Generation, GatewayCondition Accepted);

internal sealed record ListenerStatusReport(string Name, ImmutableArray<string> SupportedKinds, int AttachedRoutes, ImmutableArray<GatewayCondition> Conditions)
{
    public bool Equals(ListenerStatusReport? other) =>
        other is not null && Name == other.Name && AttachedRoutes == other.AttachedRoutes
        && SupportedKinds.SequenceEqual(other.SupportedKinds) && Conditions.SequenceEqual(other.Conditions);

    public override int GetHashCode() => HashCode.Combine(Name, AttachedRoutes);
}

internal sealed record GatewayStatusReport(ObjectRef Ref, long? Generation, ImmutableArray<GatewayCondition> Conditions, ImmutableArray<ListenerStatusReport> Listeners)
{
    /// <summary>The Gateway's own <c>spec.addresses</c> that OneHop serves, for <c>status.addresses</c>; null for OneHop's published addresses.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Addresses { get; init; }

    /// <summary>How many ListenerSets the Gateway accepted; null for a Gateway without <c>spec.allowedListeners</c> (and for a ListenerSet).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? AttachedListenerSets { get; init; }

    public bool Equals(GatewayStatusReport? other) =>
        other is not null && Ref == other.Ref && Generation == other.Generation && AttachedListenerSets == other.AttachedListenerSets
        && Conditions.SequenceEqual(other.Conditions) && Listeners.SequenceEqual(other.Listeners) && (Addresses ?? []).SequenceEqual(other.Addresses ?? []);

    public override int GetHashCode() => HashCode.Combine(Ref, Generation);
}

/// <summary>A route's status for one of its parents (a Gateway, a ListenerSet of it, or one listener of either).</summary>
internal sealed record RouteParentStatusReport(string GatewayNamespace, string GatewayName, string? SectionName, int? Port, ImmutableArray<GatewayCondition> Conditions)
{
    /// <summary>The ListenerSet the parentRef names (of the Gateway <see cref="GatewayName"/>); null when it names the Gateway.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ObjectRef? ListenerSet { get; init; }

    public bool Equals(RouteParentStatusReport? other) =>
        other is not null && GatewayNamespace == other.GatewayNamespace && GatewayName == other.GatewayName && ListenerSet == other.ListenerSet
        && SectionName == other.SectionName && Port == other.Port && Conditions.SequenceEqual(other.Conditions);

    public override int GetHashCode() => HashCode.Combine(GatewayNamespace, GatewayName, SectionName);
}

internal sealed record RouteStatusReport(ObjectRef Ref, long? Generation, ImmutableArray<RouteParentStatusReport> Parents)
{
    public bool Equals(RouteStatusReport? other) =>
        other is not null && Ref == other.Ref && Generation == other.Generation && Parents.SequenceEqual(other.Parents);

    public override int GetHashCode() => HashCode.Combine(Ref, Generation);
}

/// <summary>
/// A BackendTLSPolicy's status: its conditions (<c>Accepted</c>, <c>ResolvedRefs</c>) for each ancestor, the Gateways of
/// OneHop's routes that send traffic to one of its target Services (the spec's ancestors for a Service-targeted policy).
/// </summary>
internal sealed record PolicyStatusReport(ObjectRef Ref, long? Generation, ImmutableArray<ObjectRef> Ancestors, ImmutableArray<GatewayCondition> Conditions)
{
    public bool Equals(PolicyStatusReport? other) =>
        other is not null && Ref == other.Ref && Generation == other.Generation && Ancestors.SequenceEqual(other.Ancestors) && Conditions.SequenceEqual(other.Conditions);

    public override int GetHashCode() => HashCode.Combine(Ref, Generation);
}
