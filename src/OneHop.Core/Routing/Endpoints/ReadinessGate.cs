using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Endpoints;

/// <summary>
/// The pod readiness gate <c>onehop.dev/routed</c>. A pod listing it in <c>spec.readinessGates</c> is not Ready (so its
/// EndpointSlice entry is neither ready nor serving) until OneHop sets the condition; OneHop routes to it as soon as
/// its containers are ready, which is what lets every replica apply it before the leader opens the gate.
/// </summary>
internal static class ReadinessGate
{
    public const string ConditionType = "onehop.dev/routed";

    /// <summary>True when <paramref name="pod"/> lists the gate in <c>spec.readinessGates</c>.</summary>
    public static bool Uses(V1Pod pod) => pod.Spec?.ReadinessGates?.Any(g => g?.ConditionType == ConditionType) == true;

    /// <summary>True when OneHop routes to <paramref name="pod"/> although its slice says not ready: gated, containers ready, not deleted.</summary>
    public static bool Routable(V1Pod pod) =>
        Uses(pod) && pod.Metadata.DeletionTimestamp is null && Condition(pod, "ContainersReady")?.Status == "True";

    /// <summary>The pod's condition of <paramref name="type"/>, or null.</summary>
    public static V1PodCondition? Condition(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(c => c?.Type == type);

    /// <summary>The pods of <paramref name="state"/> that <see cref="Routable"/> accepts, by namespace/name.</summary>
    public static ImmutableHashSet<ObjectKey> RoutablePods(ClusterState state) =>
        state.Pods.IsEmpty ? [] : [.. state.Pods.Where(p => Routable(p.Value)).Select(p => p.Key)];
}
