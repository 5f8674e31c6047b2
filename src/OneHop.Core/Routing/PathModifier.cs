using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OneHop.Core.Routing;

/// <summary>How a redirect or rewrite changes the path: replace all of it, or only the prefix the route matched.</summary>
internal sealed record PathModifier(bool ReplacesFullPath, string Value)
{
    private readonly Regex? _pattern;

    /// <summary>
    /// A regular expression (ingress-nginx's <c>rewrite-target</c>): when it matches the path, the path becomes
    /// <see cref="Value"/> with <c>$1</c>, <c>$2</c>... taken from the match, as nginx's <c>rewrite</c> does; when it does
    /// not, the path is kept. Null for the Gateway API modifiers.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pattern
    {
        get;
        init
        {
            field = value;
            _pattern = value is null ? null : new Regex(value, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
    }

    /// <summary>
    /// The new path for <paramref name="path"/>, matched by the Prefix route <paramref name="matchedPrefix"/> (its
    /// <c>PrefixKey</c>). ReplacePrefixMatch swaps whole path elements, as the Gateway API conformance cases expect:
    /// prefix <c>/prefix/one</c> with <c>/one</c> makes <c>/prefix/one/two</c> into <c>/one/two</c>, and with <c>/</c>
    /// into <c>/two</c>; the result never has a doubled or a missing <c>/</c>.
    /// </summary>
    public string Apply(string path, string matchedPrefix)
    {
        if (_pattern is not null)
        {
            var match = _pattern.Match(path);
            if (!match.Success)
            {
                return path;
            }

            var rewritten = match.Result(Value);
            return rewritten.StartsWith('/') ? rewritten : "/" + rewritten;
        }

        if (ReplacesFullPath)
        {
            return Value;
        }

        var prefix = matchedPrefix == "/" ? string.Empty : matchedPrefix;
        var rest = path.Length >= prefix.Length ? path[prefix.Length..] : string.Empty;
        var replacement = Value.EndsWith('/') ? Value[..^1] : Value;
        if (rest.Length == 0)
        {
            return replacement.Length == 0 ? "/" : replacement;
        }

        // rest starts with '/': a prefix matches on element boundaries.
        return replacement + rest;
    }

    public bool Equals(PathModifier? other) =>
        other is not null && ReplacesFullPath == other.ReplacesFullPath && Value == other.Value && Pattern == other.Pattern;

    public override int GetHashCode() => HashCode.Combine(ReplacesFullPath, Value, Pattern);
}
