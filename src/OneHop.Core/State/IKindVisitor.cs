using k8s;
using k8s.Models;

namespace OneHop.Core.State;

/// <summary>Does something per kind with its model type in hand (a store, an informer), for code that walks <see cref="KindRegistry.All"/>.</summary>
internal interface IKindVisitor<out TResult>
{
    TResult Visit<T>(KubeKind<T> kind)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
