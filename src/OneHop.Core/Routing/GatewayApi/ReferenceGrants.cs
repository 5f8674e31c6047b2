using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// Cross-namespace references as Gateway API guards them: an object may refer to one in another namespace only when a
/// ReferenceGrant in the target's namespace lets the referrer's group, kind and namespace reach that kind (and name).
/// </summary>
internal sealed class ReferenceGrants(ClusterState state)
{
    public bool Allows(string fromKind, string fromNamespace, string toGroup, string toKind, string toNamespace, string toName)
    {
        if (fromNamespace == toNamespace)
        {
            return true;
        }

        foreach (var (key, grant) in state.ReferenceGrants)
        {
            if (key.Namespace != toNamespace)
            {
                continue;
            }

            var from = grant.Spec.From?.Any(f => f.Group == GatewayApiNames.Group && f.Kind == fromKind && f.Namespace == fromNamespace) ?? false;
            var to = grant.Spec.To?.Any(t => t.Group == toGroup && t.Kind == toKind && (string.IsNullOrEmpty(t.Name) || t.Name == toName)) ?? false;
            if (from && to)
            {
                return true;
            }
        }

        return false;
    }
}
