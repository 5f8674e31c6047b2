using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace OneHop.Core.Routing;

/// <summary>
/// What a route asks of a request beyond host and path prefix (Gateway API matches): a method, headers, query
/// parameters, and a path regular expression. Every condition must hold.
/// </summary>
internal sealed class RouteConditions : IEquatable<RouteConditions>
{
    private readonly Regex? _pathRegex;

    public RouteConditions(string? method, ImmutableArray<ValueMatch> headers, ImmutableArray<ValueMatch> query, string? pathRegex = null)
    {
        Method = method;
        Headers = headers;
        Query = query;
        PathRegex = pathRegex;
        _pathRegex = pathRegex is null ? null : ValueMatch.FullMatch(pathRegex, out _)
            ?? throw new ArgumentException($"invalid path regular expression '{pathRegex}'", nameof(pathRegex));
    }

    public string? Method { get; }

    public ImmutableArray<ValueMatch> Headers { get; }

    public ImmutableArray<ValueMatch> Query { get; }

    /// <summary>A RegularExpression path match: the whole decoded path must match it.</summary>
    public string? PathRegex { get; }

    public bool Matches<TFacts>(ReadOnlySpan<char> path, in TFacts request)
        where TFacts : IRequestFacts, allows ref struct
    {
        if (Method is not null && !string.Equals(Method, request.Method, StringComparison.Ordinal))
        {
            return false;
        }

        if (_pathRegex is not null && !_pathRegex.IsMatch(path))
        {
            return false;
        }

        foreach (var header in Headers)
        {
            if (!header.Matches(request.Header(header.Name)))
            {
                return false;
            }
        }

        foreach (var parameter in Query)
        {
            if (!parameter.Matches(request.Query(parameter.Name)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Gateway API precedence after the path: a method match, then more header matches, then more query matches.</summary>
    public static int CompareSpecificity(RouteConditions? a, RouteConditions? b)
    {
        var byMethod = (b?.Method is not null).CompareTo(a?.Method is not null);
        if (byMethod != 0)
        {
            return byMethod;
        }

        var byHeaders = (b?.Headers.Length ?? 0).CompareTo(a?.Headers.Length ?? 0);
        return byHeaders != 0 ? byHeaders : (b?.Query.Length ?? 0).CompareTo(a?.Query.Length ?? 0);
    }

    public bool Equals(RouteConditions? other) =>
        other is not null && Method == other.Method && PathRegex == other.PathRegex
        && Headers.SequenceEqual(other.Headers) && Query.SequenceEqual(other.Query);

    public override bool Equals(object? obj) => Equals(obj as RouteConditions);

    public override int GetHashCode() => HashCode.Combine(Method, PathRegex, Headers.Length, Query.Length);

    public override string ToString() =>
        string.Join(" ", new[] { Method, PathRegex is null ? null : $"path~{PathRegex}" }
            .Concat(Headers.Select(h => $"header {h}")).Concat(Query.Select(q => $"query {q}")).Where(s => s is not null));
}
