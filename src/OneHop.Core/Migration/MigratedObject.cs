using System.Collections.Immutable;
using k8s;
using k8s.Models;

namespace OneHop.Core.Migration;

/// <summary>One written Gateway API object and the comments written above it.</summary>
internal sealed record MigratedObject(IKubernetesObject<V1ObjectMeta> Object, ImmutableArray<string> Comments)
{
    /// <summary>The file <c>--out</c> writes it to: kind, namespace and name, lower case.</summary>
    public string FileName => $"{Object.Kind.ToLowerInvariant()}-{Object.Metadata.NamespaceProperty}-{Object.Metadata.Name}.yaml";
}
