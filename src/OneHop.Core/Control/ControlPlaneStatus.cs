using System.Collections.Immutable;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;

namespace OneHop.Core.Control;

/// <summary>What the control plane last did and found: the admin API's view, replaced as a whole on each build.</summary>
/// <param name="Version">The version of the newest snapshot handed to the data plane; 0 before the first.</param>
/// <param name="Snapshot">That snapshot.</param>
/// <param name="LastBuild">When the translator last ran.</param>
/// <param name="Diagnostics">Every current finding: sources (files, config) and translation.</param>
/// <param name="Ignored">Objects deliberately not served, and why.</param>
/// <param name="Sources">Each source's sync state.</param>
/// <param name="LastBuildError">The translator's last crash, if it crashed (a bug: the last snapshot stays).</param>
internal sealed record ControlPlaneStatus(
    long Version,
    RoutingSnapshot Snapshot,
    DateTimeOffset? LastBuild,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<IgnoredObject> Ignored,
    ImmutableArray<SourceStatus> Sources,
    string? LastBuildError)
{
    public static readonly ControlPlaneStatus Initial = new(0, RoutingSnapshot.Empty, null, [], [], [], null);

    /// <summary>The Ingresses served, from the last translation.</summary>
    public ImmutableArray<State.ObjectRef> Served { get; init; } = [];

    /// <summary>The conditions of OneHop's Gateway API objects, from the last translation.</summary>
    public Routing.GatewayApi.GatewayApiStatus GatewayStatus { get; init; } = Routing.GatewayApi.GatewayApiStatus.Empty;
}
