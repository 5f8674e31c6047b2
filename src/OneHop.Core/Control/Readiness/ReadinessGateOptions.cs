namespace OneHop.Core.Control.Readiness;

/// <summary>
/// How replicas share what they route and how the leader opens the readiness gate <c>onehop.dev/routed</c>.
/// </summary>
/// <param name="LeaseNamespace">Where each replica's routed Lease lives (the election Lease's namespace).</param>
/// <param name="Group">Names the replicas that must all route a pod: the election Lease's name, so one per ingress class.</param>
/// <param name="Identity">This replica's name (the pod name in-cluster).</param>
internal sealed record ReadinessGateOptions(string LeaseNamespace, string Group, string Identity)
{
    public static readonly TimeSpan DefaultNotServedTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A replica whose routed Lease was not renewed for this long no longer holds pods back.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a gated pod whose containers are ready may wait when no OneHop serves its Service before the leader
    /// opens the gate anyway (reason <c>NotServedByOneHop</c>, with a warning Event), so rollouts never deadlock.
    /// </summary>
    public TimeSpan NotServedTimeout { get; init; } = DefaultNotServedTimeout;

    /// <summary>How often the leader re-reads the replicas' Leases even when its own snapshot did not change.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);
}
