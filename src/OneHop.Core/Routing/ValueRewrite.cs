using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OneHop.Core.Routing;

/// <summary>
/// One of nginx's response-header rewrites (<c>proxy_redirect</c>, <c>proxy_cookie_domain</c>, <c>proxy_cookie_path</c>):
/// plain text matched as <see cref="Kind"/> says, or a regular expression after <c>~</c> (<c>~*</c> without case; a
/// domain's always without case) that replaces the whole value. The replacement may hold <c>$1</c>…<c>$9</c> from the
/// expression, <c>$host</c> and <c>$scheme</c>. Parsed once at translation; a request only matches and concatenates.
/// </summary>
internal sealed class ValueRewrite : IEquatable<ValueRewrite>
{
    private readonly Regex? _regex;
    private readonly string _text;
    private readonly ImmutableArray<Part> _replacement;

    private ValueRewrite(string from, string to, ValueRewriteKind kind, Regex? regex, string text, ImmutableArray<Part> replacement)
    {
        (From, To, Kind, _regex, _text, _replacement) = (from, to, kind, regex, text, replacement);
    }

    /// <summary>The match as written (with its <c>~</c>).</summary>
    public string From { get; }

    /// <summary>The replacement as written.</summary>
    public string To { get; }

    public ValueRewriteKind Kind { get; }

    /// <summary>The rewrite, or null with why (a bad expression, or an nginx variable OneHop does not evaluate).</summary>
    public static ValueRewrite? Create(string from, string to, ValueRewriteKind kind, out string? problem)
    {
        var regex = Pattern(from, kind, out problem);
        if (problem is not null || Replacement(to, out problem) is not { } replacement)
        {
            return null;
        }

        var text = regex is null && kind == ValueRewriteKind.Domain ? from.TrimStart('.') : from;
        if (regex is null && kind == ValueRewriteKind.Domain && replacement is [{ Literal: { } literal }])
        {
            replacement = [new Part(literal.TrimStart('.'), 0)];
        }

        return new ValueRewrite(from, to, kind, regex, text, replacement);
    }

    /// <summary>Why <paramref name="from"/> cannot be matched (an expression .NET's non-backtracking engine refuses), or null.</summary>
    public static string? PatternProblem(string from, ValueRewriteKind kind)
    {
        Pattern(from, kind, out var problem);
        return problem;
    }

    /// <summary>Why <paramref name="to"/> cannot be a replacement (a variable other than <c>$host</c>, <c>$scheme</c> and <c>$1</c>…<c>$9</c>), or null.</summary>
    public static string? ReplacementProblem(string to)
    {
        Replacement(to, out var problem);
        return problem;
    }

    /// <summary>
    /// <paramref name="value"/> rewritten, or null when it does not match. <paramref name="host"/> is nginx's <c>$host</c>,
    /// <paramref name="scheme"/> its <c>$scheme</c> (the client's).
    /// </summary>
    public string? Apply(string value, string host, string scheme)
    {
        if (_regex is not null)
        {
            var match = _regex.Match(value);
            return match.Success ? Expand(match, host, scheme) : null;
        }

        if (Kind == ValueRewriteKind.Prefix)
        {
            return value.StartsWith(_text, StringComparison.Ordinal) ? string.Concat(Expand(null, host, scheme), value.AsSpan(_text.Length)) : null;
        }

        // nginx keeps the cookie's leading dot and compares what follows it.
        var dot = value.StartsWith('.') ? 1 : 0;
        return value.AsSpan(dot).Equals(_text, StringComparison.OrdinalIgnoreCase) ? string.Concat(value.AsSpan(0, dot), Expand(null, host, scheme)) : null;
    }

    private string Expand(Match? match, string host, string scheme)
    {
        if (_replacement is [{ Literal: { } only }])
        {
            return only;
        }

        var text = new StringBuilder();
        foreach (var part in _replacement)
        {
            text.Append(part.Literal ?? part.Group switch
            {
                Part.Host => host,
                Part.Scheme => scheme,
                var group => match is not null && group < match.Groups.Count ? match.Groups[group].Value : string.Empty,
            });
        }

        return text.ToString();
    }

    private static Regex? Pattern(string from, ValueRewriteKind kind, out string? problem)
    {
        problem = null;
        if (!from.StartsWith('~'))
        {
            return null;
        }

        var ignoreCase = from.StartsWith("~*", StringComparison.Ordinal);
        var pattern = from[(ignoreCase ? 2 : 1)..];
        return ValueMatch.Search(ignoreCase || kind == ValueRewriteKind.Domain ? $"(?i){pattern}" : pattern, out problem);
    }

    private static ImmutableArray<Part>? Replacement(string to, out string? problem)
    {
        problem = null;
        var parts = ImmutableArray.CreateBuilder<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < to.Length; i++)
        {
            if (to[i] != '$')
            {
                literal.Append(to[i]);
                continue;
            }

            var braced = i + 1 < to.Length && to[i + 1] == '{';
            var start = i + (braced ? 2 : 1);
            var end = start;
            while (end < to.Length && (char.IsAsciiLetterOrDigit(to[end]) || to[end] == '_') && !(end > start && char.IsAsciiDigit(to[start])))
            {
                end++;
            }

            var name = to[start..end];
            if (braced && (end >= to.Length || to[end] != '}'))
            {
                problem = $"'{to}' has an unclosed ${{ variable";
                return null;
            }

            Part? part = name switch
            {
                "host" => new Part(null, Part.Host),
                "scheme" => new Part(null, Part.Scheme),
                [>= '1' and <= '9'] => new Part(null, name[0] - '0'),
                _ => null,
            };
            if (part is null)
            {
                problem = $"'{to}' uses the nginx variable ${name}, which OneHop does not evaluate here (only $host, $scheme, and $1 to $9 of a ~ expression)";
                return null;
            }

            if (literal.Length > 0)
            {
                parts.Add(new Part(literal.ToString(), 0));
                literal.Clear();
            }

            parts.Add(part);
            i = end - (braced ? 0 : 1);
        }

        if (literal.Length > 0 || parts.Count == 0)
        {
            parts.Add(new Part(literal.ToString(), 0));
        }

        return parts.ToImmutable();
    }

    public bool Equals(ValueRewrite? other) => other is not null && From == other.From && To == other.To && Kind == other.Kind;

    public override bool Equals(object? obj) => Equals(obj as ValueRewrite);

    public override int GetHashCode() => HashCode.Combine(From, To, Kind);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{From} {To}");

    /// <summary>Literal text, or (<see cref="Literal"/> null) capture <see cref="Group"/>, or <see cref="Host"/> or <see cref="Scheme"/>.</summary>
    private sealed record Part(string? Literal, int Group)
    {
        /// <summary>The group number that stands for <c>$host</c>.</summary>
        public const int Host = 0;

        /// <summary>The group number that stands for <c>$scheme</c>.</summary>
        public const int Scheme = -1;
    }
}
