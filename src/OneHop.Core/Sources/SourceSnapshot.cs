using System.Collections.Immutable;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Core.State;

namespace OneHop.Core.Sources;

/// <summary>What one source currently contributes. Replaced as a whole on every change.</summary>
/// <param name="Synced">True once the source has loaded everything once; readiness waits for it.</param>
/// <param name="State">The objects, with their origins.</param>
/// <param name="Diagnostics">Problems the source found in its input (parse errors, duplicates...).</param>
/// <param name="LastSync">When the source last read its input successfully.</param>
internal sealed record SourceSnapshot(
    bool Synced,
    ClusterState State,
    ImmutableArray<Diagnostic> Diagnostics,
    DateTimeOffset? LastSync)
{
    public static readonly SourceSnapshot NotSynced = new(false, ClusterState.Empty, [], null);

    /// <summary>Per-kind sync state, for sources that watch kinds separately (the Kubernetes API).</summary>
    public ImmutableArray<InformerStatus> Kinds { get; init; } = [];

    /// <summary>
    /// True when a build from <paramref name="other"/> would read exactly what it reads from this one: the same
    /// objects (by reference, as sources keep unchanged ones) and the same findings. Sync times and per-kind
    /// bookkeeping, which change with every watch event and bookmark, do not count.
    /// </summary>
    public bool SameInputs(SourceSnapshot other) =>
        Synced == other.Synced && State == other.State && Diagnostics.SequenceEqual(other.Diagnostics);
}
