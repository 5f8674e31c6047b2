using OneHop.Core.Configuration;

namespace OneHop.Core.Routing;

/// <summary>
/// The hostnames of the Gateway listeners on one port, and which of them a request's host selects: Gateway API sends a
/// request to the most specific listener that matches it (the exact name, then the longest wildcard suffix, then a
/// listener without hostname), and only that listener's routes may serve it. Lookups allocate nothing.
/// </summary>
internal sealed class ListenerHosts
{
    private readonly HostMap<string> _exact;
    private readonly HostMap<string> _wildcards;
    private readonly bool _any;

    public ListenerHosts(IEnumerable<string> hostnames)
    {
        var all = hostnames.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        _any = all.Contains(string.Empty);
        _exact = new HostMap<string>(all.Where(h => h.Length > 0 && !HostRules.IsWildcard(h)).Select(h => KeyValuePair.Create(h, h)));

        // Keyed by the suffix without "*.", looked up as exact names while walking the request host's suffixes.
        _wildcards = new HostMap<string>(all.Where(HostRules.IsWildcard).Select(h => KeyValuePair.Create(h[2..], h)));
    }

    /// <summary>The selected listener's hostname (empty for a listener without one), or null when none matches.</summary>
    public string? Select(ReadOnlySpan<char> host)
    {
        if (host.Length > 0)
        {
            if (_exact.TryGetExact(host, out var exact) || _wildcards.TryGetLongestSuffix(host, out exact))
            {
                return exact;
            }
        }

        return _any ? string.Empty : null;
    }
}
