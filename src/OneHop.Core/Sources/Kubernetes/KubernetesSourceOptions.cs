using System.Collections.Immutable;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>What the Kubernetes source watches.</summary>
/// <param name="Namespaces">The namespaces to watch; empty for all. Cluster-scoped kinds are always watched.</param>
/// <param name="Informers">Timings of the list+watch loops.</param>
internal sealed record KubernetesSourceOptions(ImmutableArray<string> Namespaces, InformerOptions Informers)
{
    /// <summary>The ConfigMaps to read (ingress-nginx's tcp-services and udp-services); no other ConfigMap is listed.</summary>
    public ImmutableArray<State.ObjectKey> ConfigMaps { get; init; } = [];

    /// <summary>Watch Pods, for the readiness gate <c>onehop.dev/routed</c>; off by default, as pods are many and change often.</summary>
    public bool Pods { get; init; }

    public static readonly KubernetesSourceOptions Default = new([], new InformerOptions());
}
