using OneHop.Core.Configuration;
using OneHop.Core.State;

namespace OneHop.Core.Routing;

/// <summary>Everything the translator reads: the cluster's objects, the config file, and its own last output.</summary>
internal sealed record TranslatorInput(ClusterState Cluster, OneHopConfig Config, TranslationMemory Memory)
{
    /// <summary>Results for unchanged objects from earlier translations; the output is the same without it.</summary>
    public TranslationCache? Cache { get; init; }

    /// <summary>What OneHop's connect probes found per node, for Services in <c>onehop.dev/reach: auto</c> mode.</summary>
    public Endpoints.PodReachability Reachability { get; init; } = Endpoints.PodReachability.Empty;

    public static TranslatorInput Of(ClusterState cluster, OneHopConfig? config = null) =>
        new(cluster, config ?? OneHopConfig.Default, TranslationMemory.Empty);
}
