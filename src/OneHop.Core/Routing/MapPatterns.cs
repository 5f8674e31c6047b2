using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace OneHop.Core.Routing;

/// <summary>
/// The source values of an nginx <c>map</c>, as ingress-nginx writes its comma-separated lists into one
/// (<c>skip-access-log-urls</c> over <c>$request_uri</c>, <c>block-user-agents</c> over <c>$http_user_agent</c>,
/// <c>block-referers</c> over <c>$http_referer</c>): a plain entry is the whole value, case ignored, as nginx's map
/// compares strings; <c>~</c> starts a regular expression found anywhere in it, <c>~*</c> one that ignores case.
/// Matching allocates nothing and runs on the non-backtracking engine, so a client's header cannot make it slow.
/// </summary>
internal sealed class MapPatterns : IEquatable<MapPatterns>
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly Regex[] _patterns;

    private MapPatterns(ImmutableArray<string> entries, FrozenSet<string> exact, Regex[] patterns)
    {
        Entries = entries;
        _exact = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _patterns = patterns;
    }

    /// <summary>The entries as written.</summary>
    public ImmutableArray<string> Entries { get; }

    /// <summary>
    /// A comma-separated list (blank entries ignored); null with the reason for an entry that is no valid expression, and
    /// null without a problem for a list with no entry.
    /// </summary>
    public static MapPatterns? Parse(string value, out string? problem)
    {
        problem = null;
        // nginx's parser takes a quoted entry ("~*bad bot", the way to write one with a space) without its quotes.
        var entries = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Unquoted).ToImmutableArray();
        var patterns = new List<Regex>();
        foreach (var entry in entries.Where(e => e.StartsWith('~')))
        {
            var (pattern, ignoreCase) = entry.StartsWith("~*", StringComparison.Ordinal) ? (entry[2..].Trim(), true) : (entry[1..].Trim(), false);
            if (pattern.Length == 0)
            {
                // An empty expression is found in every value: it would catch every request.
                problem = $"'{entry}' has no regular expression after the ~";
                return null;
            }

            if (ValueMatch.Search(pattern, out problem, ignoreCase) is not { } regex)
            {
                return null;
            }

            patterns.Add(regex);
        }

        if (entries.IsEmpty)
        {
            return null;
        }

        var exact = entries.Where(e => !e.StartsWith('~')).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        return new MapPatterns(entries, exact, [.. patterns]);
    }

    /// <summary>
    /// True when an entry matches <paramref name="value"/> (an absent header is the empty value, as nginx's). As nginx's
    /// map, an empty value is compared with the plain entries only: no expression is tried on it.
    /// </summary>
    public bool Matches(ReadOnlySpan<char> value)
    {
        if (_exact.Contains(value))
        {
            return true;
        }

        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }

    private static string Unquoted(string entry) =>
        entry.Length >= 2 && entry[0] is '"' or '\'' && entry[^1] == entry[0] ? entry[1..^1] : entry;

    public bool Equals(MapPatterns? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override bool Equals(object? obj) => Equals(obj as MapPatterns);

    public override int GetHashCode() => Entries.Length;
}
