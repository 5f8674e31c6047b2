using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace OneHop.Core.Routing;

/// <summary>
/// Requests a route leaves out of the access log by their path and query as sent (ingress-nginx's
/// <c>skip-access-log-urls</c>, nginx's <c>map $request_uri $loggable</c>): a plain entry is the whole of it, case
/// ignored, as nginx's map compares strings; <c>~</c> starts a regular expression found anywhere in it, <c>~*</c> one
/// that ignores case. Matching allocates nothing and runs on the non-backtracking engine.
/// </summary>
internal sealed class AccessLogSkips : IEquatable<AccessLogSkips>
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly Regex[] _patterns;

    private AccessLogSkips(ImmutableArray<string> entries, FrozenSet<string> exact, Regex[] patterns)
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
    public static AccessLogSkips? Parse(string value, out string? problem)
    {
        problem = null;
        var entries = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToImmutableArray();
        var patterns = new List<Regex>();
        foreach (var entry in entries.Where(e => e.StartsWith('~')))
        {
            var (pattern, ignoreCase) = entry.StartsWith("~*", StringComparison.Ordinal) ? (entry[2..].Trim(), true) : (entry[1..].Trim(), false);
            if (pattern.Length == 0)
            {
                // An empty expression is found in every URI: it would keep every request out of the log.
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
        return new AccessLogSkips(entries, exact, [.. patterns]);
    }

    /// <summary>True when <paramref name="requestUri"/> (path and query as sent) is not to be logged.</summary>
    public bool Skips(ReadOnlySpan<char> requestUri)
    {
        if (_exact.Contains(requestUri))
        {
            return true;
        }

        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(requestUri))
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(AccessLogSkips? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override bool Equals(object? obj) => Equals(obj as AccessLogSkips);

    public override int GetHashCode() => Entries.Length;
}
