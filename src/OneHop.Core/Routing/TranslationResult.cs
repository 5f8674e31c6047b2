using System.Collections.Immutable;
using OneHop.Core.Diagnostics;

namespace OneHop.Core.Routing;

/// <summary>The translator's output: the snapshot, what is wrong with the input, what was ignored, and its memory.</summary>
internal sealed record TranslationResult(
    RoutingSnapshot Snapshot,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<IgnoredObject> Ignored,
    TranslationMemory Memory)
{
    /// <summary>The Ingresses OneHop serves (its class), whose status it publishes.</summary>
    public ImmutableArray<State.ObjectRef> Served { get; init; } = [];

    /// <summary>The conditions of OneHop's GatewayClasses, Gateways and routes, for their status.</summary>
    public GatewayApi.GatewayApiStatus GatewayStatus { get; init; } = GatewayApi.GatewayApiStatus.Empty;

    /// <summary>The pods whose reachability decides the Services in <c>onehop.dev/reach: auto</c> mode, one per node.</summary>
    public ImmutableArray<Endpoints.ReachProbeTarget> ReachTargets { get; init; } = [];

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
