using k8s.Models;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Migration;

/// <summary>
/// The references that cross namespaces (a Gateway's certificate, a route's backend in a canary's namespace), gathered
/// into one ReferenceGrant per target namespace and referring kind and namespace, each naming exactly the objects it opens.
/// </summary>
internal sealed class ReferenceGrantSet
{
    private readonly SortedDictionary<(string To, string FromKind, string From), SortedSet<(string Kind, string Name)>> _grants = [];

    public void Add(string toNamespace, string fromKind, string fromNamespace, string toKind, string toName)
    {
        var key = (toNamespace, fromKind, fromNamespace);
        if (!_grants.TryGetValue(key, out var targets))
        {
            _grants[key] = targets = [];
        }

        targets.Add((toKind, toName));
    }

    public IEnumerable<ReferenceGrant> Build() => _grants.Select(p => new ReferenceGrant
    {
        Metadata = new V1ObjectMeta { Name = $"{p.Key.FromKind.ToLowerInvariant()}-from-{p.Key.From}", NamespaceProperty = p.Key.To },
        Spec = new ReferenceGrantSpec
        {
            From = [new ReferenceGrantFrom { Group = GatewayApiNames.Group, Kind = p.Key.FromKind, Namespace = p.Key.From }],
            To = [.. p.Value.Select(t => new ReferenceGrantTo { Group = string.Empty, Kind = t.Kind, Name = t.Name })],
        },
    });
}
