using System.Collections.Immutable;

namespace OneHop.Core.Control;

/// <summary>
/// Which address the Ingresses' status shows, and how replicas elect the one that writes to the API server (status, and
/// Events when they are on: <see cref="LeaderElection"/>).
/// </summary>
/// <param name="Addresses">From <c>--publish-address</c>: IPs or host names (a VIP, DNS round-robin name...).</param>
/// <param name="Service">From <c>--publish-service NS/NAME</c>: publish that Service's load-balancer or external address.</param>
/// <param name="LeaseNamespace">Where the Lease lives (the pod's namespace in-cluster).</param>
/// <param name="LeaseName">The Lease's name; one per ingress class so that several OneHop deployments can coexist.</param>
/// <param name="Identity">This replica's name in the Lease (the pod name in-cluster).</param>
internal sealed record StatusPublishingOptions(
    ImmutableArray<string> Addresses,
    string? Service,
    string LeaseNamespace,
    string LeaseName,
    string Identity)
{
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the leader re-checks every Ingress even without a change.</summary>
    public TimeSpan Resync { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>True when there is an address to publish: without one, status is not written (Events may still be).</summary>
    public bool Enabled => !Addresses.IsEmpty || Service is not null;
}
