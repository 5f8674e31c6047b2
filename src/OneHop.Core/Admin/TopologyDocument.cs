using System.Collections.Immutable;

namespace OneHop.Core.Admin;

/// <summary>
/// <c>GET /api/topology</c> (and each event of <c>/api/topology/events</c>): the whole path a request takes through this
/// replica — edge listeners, routes, Services, and their pods by zone and node with their load and state — plus the
/// problems an operator should see first. What the dashboard and <c>onehop status</c> draw.
/// </summary>
/// <param name="GeneratedAt">When the document was built (rates cover the whole seconds before it).</param>
/// <param name="Version">The snapshot the data plane serves.</param>
/// <param name="Zone">This replica's zone; null when it has none (no zone preference).</param>
/// <param name="CrossZoneShare">
/// Of the requests sent to pods with a known zone over the window, the share that left this replica's zone; null
/// without a zone or without such requests.
/// </param>
/// <param name="Role"><c>leader</c> or <c>follower</c> when leader election runs, else <c>standalone</c>.</param>
internal sealed record TopologyDocument(
    DateTimeOffset GeneratedAt,
    long Version,
    bool Ready,
    string? NotReadyReason,
    string? Zone,
    double? CrossZoneShare,
    string Role,
    LeadershipDocument? Leadership,
    ImmutableArray<TopologyListener> Listeners,
    ImmutableArray<TopologyRoute> Routes,
    ImmutableArray<TopologyService> Services,
    ImmutableArray<TopologyProblem> Problems)
{
    /// <summary>How many seconds the per-pod rates and percentiles cover.</summary>
    public int WindowSeconds { get; init; } = Health.TrafficWindow.WindowSeconds;
}
