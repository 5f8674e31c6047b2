using OneHop.Core.Sources.Config;
using OneHop.Core.State;

namespace OneHop.Core.Routing;

/// <summary>Everything the translator reads: the cluster's objects, the config file, and its own last output.</summary>
internal sealed record TranslatorInput(ClusterState Cluster, OneHopConfig Config, TranslationMemory Memory)
{
    public static TranslatorInput Of(ClusterState cluster, OneHopConfig? config = null) =>
        new(cluster, config ?? OneHopConfig.Default, TranslationMemory.Empty);
}
