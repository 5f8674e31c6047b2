using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Tls;

namespace OneHop.Core.Proxy.Http;

/// <summary>The snapshot's per-host TLS policies by request host (exact, then one-label wildcard), looked up without allocating.</summary>
internal sealed class HostPolicyTable(ImmutableArray<HostPolicy> policies)
{
    public static readonly HostPolicyTable Empty = new([]);

    private readonly HostMap<HostPolicy> _policies = new(policies.Select(p => KeyValuePair.Create(p.Host, p)));

    public bool IsEmpty => _policies.Count == 0;

    /// <summary>True when this table was built from exactly <paramref name="other"/>, so it can serve them.</summary>
    public bool Serves(ImmutableArray<HostPolicy> other) => policies.SequenceEqual(other);

    public HostPolicy? For(ReadOnlySpan<char> requestHost) =>
        !IsEmpty && _policies.TryGet(HostRules.Normalize(requestHost), out var policy) ? policy : null;
}
