using System.Collections.Immutable;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OneHop.Core.Configuration.Compression;

/// <summary>
/// Regular expressions of <c>User-Agent</c> values, case ignored, found anywhere in the header (nginx's
/// <c>gzip_disable</c>; its special <c>msie6</c> is the expression it stands for). On .NET's non-backtracking engine,
/// so a client's header cannot make a match slow.
/// </summary>
internal sealed class UserAgentPatterns : IEquatable<UserAgentPatterns>
{
    /// <summary>nginx's gzip_disable mask: Internet Explorer 4 to 6, unless its User-Agent also names SV1.</summary>
    private const string Msie6 = "msie6";

    private static readonly Regex OldMsie = new(@"MSIE [4-6]\.", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    private readonly Regex[] _patterns;
    private readonly bool _msie6;

    private UserAgentPatterns(ImmutableArray<string> entries, Regex[] patterns) =>
        (Entries, _patterns, _msie6) = (entries, patterns, entries.Contains(Msie6));

    /// <summary>The expressions as written.</summary>
    [JsonInclude]
    public ImmutableArray<string> Entries { get; }

    /// <summary>The expressions compiled; null with the reason for the first that is not valid.</summary>
    public static UserAgentPatterns? Parse(IEnumerable<string> expressions, out string? problem)
    {
        problem = null;
        var entries = expressions.ToImmutableArray();
        var patterns = new List<Regex>();
        foreach (var expression in entries.Where(e => e != Msie6))
        {
            try
            {
                patterns.Add(new Regex(expression, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                problem = $"'{expression}' is not a regular expression OneHop can run (no lookarounds or backreferences): {ex.Message}";
                return null;
            }
        }

        return new UserAgentPatterns(entries, [.. patterns]);
    }

    /// <summary>True when <paramref name="userAgent"/> matches one of the expressions.</summary>
    public bool Matches(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return false;
        }

        if (_msie6 && OldMsie.IsMatch(userAgent) && !userAgent.Contains("SV1", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(userAgent))
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(UserAgentPatterns? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override bool Equals(object? obj) => Equals(obj as UserAgentPatterns);

    public override int GetHashCode() => Entries.Length;
}
