using OneHop.Core.Routing;
using OneHop.Core.Routing.Tls;

namespace OneHop.Core.Proxy.Http;

/// <summary>The snapshot's per-host TLS policies by request host (exact, then one-label wildcard), looked up without allocating.</summary>
internal sealed class HostPolicyTable
{
    public static readonly HostPolicyTable Empty = new([]);

    private readonly Dictionary<string, HostPolicy>.AlternateLookup<ReadOnlySpan<char>> _policies;

    public HostPolicyTable(IEnumerable<HostPolicy> policies)
    {
        var map = new Dictionary<string, HostPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var policy in policies)
        {
            map.TryAdd(policy.Host, policy);
        }

        IsEmpty = map.Count == 0;
        _policies = map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool IsEmpty { get; }

    public HostPolicy? For(ReadOnlySpan<char> requestHost)
    {
        if (IsEmpty)
        {
            return null;
        }

        var host = HostRules.Normalize(requestHost);
        if (_policies.TryGetValue(host, out var policy))
        {
            return policy;
        }

        var suffix = HostRules.WildcardSuffix(host);
        return suffix.Length > 0 && _policies.TryGetValue(string.Concat("*.", suffix), out policy) ? policy : null;
    }
}
