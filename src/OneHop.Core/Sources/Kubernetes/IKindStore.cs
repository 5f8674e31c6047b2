using OneHop.Core.State;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>A <see cref="KindStore{T}"/> whatever its kind: what the source needs to assemble its state.</summary>
internal interface IKindStore
{
    /// <summary><paramref name="state"/> with this kind's slot set to the store's current objects.</summary>
    ClusterState AddTo(ClusterState state);
}
