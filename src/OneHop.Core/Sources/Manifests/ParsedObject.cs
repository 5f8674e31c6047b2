using k8s;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Sources.Manifests;

/// <summary>A Kubernetes object read from a manifest, with the file and document it came from.</summary>
internal sealed record ParsedObject(IKubernetesObject<V1ObjectMeta> Object, ObjectOrigin Origin);
