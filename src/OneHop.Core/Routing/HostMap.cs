using OneHop.Core.Configuration;

namespace OneHop.Core.Routing;

/// <summary>
/// Values by host, as Ingress hosts, TLS hosts and SNI match: an exact name first, then a one-label wildcard
/// (<c>*.example.com</c> covers <c>a.example.com</c>, not <c>a.b.example.com</c> nor <c>example.com</c>). Case-insensitive,
/// and a lookup allocates nothing. The one matcher behind routing, per-host TLS policy and certificate selection.
/// </summary>
internal sealed class HostMap<T>
{
    public static readonly HostMap<T> Empty = new([]);

    private readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _wildcard;

    /// <param name="entries">Hosts (<c>a.example.com</c> or <c>*.example.com</c>) and values; the first entry of a host wins.</param>
    public HostMap(IEnumerable<KeyValuePair<string, T>> entries)
    {
        var exact = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var (host, value) in entries)
        {
            _ = HostRules.IsWildcard(host) ? wildcard.TryAdd(host[2..], value) : exact.TryAdd(host, value);
        }

        Count = exact.Count + wildcard.Count;
        _exact = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcard = wildcard.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count { get; }

    /// <summary>The value for a normalized host (no port, no trailing dot): its exact entry, else its wildcard's.</summary>
    public bool TryGet(ReadOnlySpan<char> host, out T value) => TryGetExact(host, out value) || TryGetWildcard(host, out value);

    public bool TryGetExact(ReadOnlySpan<char> host, out T value) => _exact.TryGetValue(host, out value!);

    /// <summary>
    /// The exact entry of <paramref name="host"/>'s longest proper suffix that has one: Gateway API's wildcards, which
    /// cover any number of labels, stored under their suffix without <c>*.</c> (<c>b.c</c> takes <c>a.x.b.c</c>).
    /// </summary>
    public bool TryGetLongestSuffix(ReadOnlySpan<char> host, out T value)
    {
        for (var suffix = HostRules.WildcardSuffix(host); suffix.Length > 0; suffix = HostRules.WildcardSuffix(suffix))
        {
            if (TryGetExact(suffix, out value))
            {
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>The value of the wildcard that covers <paramref name="host"/> (<c>*.b.c</c> for <c>a.b.c</c>).</summary>
    public bool TryGetWildcard(ReadOnlySpan<char> host, out T value)
    {
        var suffix = HostRules.WildcardSuffix(host);
        if (suffix.Length > 0 && _wildcard.TryGetValue(suffix, out value!))
        {
            return true;
        }

        value = default!;
        return false;
    }
}
