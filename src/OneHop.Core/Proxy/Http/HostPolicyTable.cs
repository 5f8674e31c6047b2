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

    // Compiled once per snapshot; a pattern that does not compile (the annotation's parser refuses those) is left out,
    // and the middleware then refuses every client of the host.
    private readonly HostMap<System.Text.RegularExpressions.Regex> _subjects = new(policies
        .Where(p => p.ClientSubjectPattern is not null)
        .Select(p => (p.Host, Regex: ValueMatch.Search(p.ClientSubjectPattern!, out _)))
        .Where(p => p.Regex is not null)
        .Select(p => KeyValuePair.Create(p.Host, p.Regex!)));

    public bool IsEmpty => _policies.Count == 0;

    /// <summary>True when this table was built from exactly <paramref name="other"/>, so it can serve them.</summary>
    public bool Serves(ImmutableArray<HostPolicy> other) => policies.SequenceEqual(other);

    public HostPolicy? For(ReadOnlySpan<char> requestHost) =>
        !IsEmpty && _policies.TryGet(HostRules.Normalize(requestHost), out var policy) ? policy : null;

    /// <summary>The expression a client certificate's subject must contain on <paramref name="requestHost"/> (<see cref="HostPolicy.ClientSubjectPattern"/>).</summary>
    public System.Text.RegularExpressions.Regex? ClientSubject(ReadOnlySpan<char> requestHost) =>
        _subjects.Count > 0 && _subjects.TryGet(HostRules.Normalize(requestHost), out var regex) ? regex : null;
}
