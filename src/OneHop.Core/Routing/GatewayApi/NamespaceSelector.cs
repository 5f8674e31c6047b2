using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// Kubernetes label selector semantics (matchLabels and matchExpressions In, NotIn, Exists, DoesNotExist) over a
/// Namespace's labels, for a Gateway listener's <c>allowedRoutes.namespaces</c> with <c>from: Selector</c>. A selector
/// with an unknown operator selects nothing: a listener never admits routes its author did not mean to.
/// </summary>
internal static class NamespaceSelector
{
    public static bool Selects(V1LabelSelector? selector, ClusterState state, string @namespace)
    {
        if (selector is null)
        {
            return false;
        }

        var labels = state.Namespaces.TryGetValue(new ObjectKey(string.Empty, @namespace), out var ns) ? ns.Metadata?.Labels : null;
        labels ??= new Dictionary<string, string>();

        // Kubernetes sets this label on every Namespace; a manifest directory's Namespaces may not have it.
        labels = new Dictionary<string, string>(labels) { ["kubernetes.io/metadata.name"] = @namespace };
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(requirement?.Key ?? string.Empty, out var actual);
            var values = requirement?.Values ?? [];
            var holds = requirement?.OperatorProperty switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }
}
