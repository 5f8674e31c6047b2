using k8s;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Migration;

/// <summary>A route being written and the Ingresses it comes from (the main one, and canaries merged into it), whose notes it carries as comments.</summary>
internal sealed record RouteDraft(IKubernetesObject<V1ObjectMeta> Route, SortedSet<ObjectKey> Sources);
