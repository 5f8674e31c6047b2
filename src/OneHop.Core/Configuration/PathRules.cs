namespace OneHop.Core.Configuration;

/// <summary>Ingress path rules: validation, matching and precedence, exactly as the Ingress spec defines them.</summary>
internal static class PathRules
{
    private static readonly string[] InvalidSequences = ["//", "/./", "/../", "%2f", "%2F"];

    /// <summary>Returns null when <paramref name="path"/> is valid, else the reason (as the API server words it).</summary>
    public static string? Validate(string path)
    {
        if (!path.StartsWith('/'))
        {
            return "must be an absolute path (start with /)";
        }

        foreach (var sequence in InvalidSequences)
        {
            if (path.Contains(sequence, StringComparison.Ordinal))
            {
                return $"must not contain '{sequence}'";
            }
        }

        if (path.EndsWith("/..", StringComparison.Ordinal) || path.EndsWith("/.", StringComparison.Ordinal))
        {
            return "must not end with '/..' or '/.'";
        }

        return null;
    }

    /// <summary>What a Prefix rule compares against: the path without its trailing <c>/</c>, except <c>/</c> itself.</summary>
    public static string PrefixKey(string path) => path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;

    /// <summary>
    /// True when the request path matches. For Prefix, <paramref name="rulePath"/> must be <see cref="PrefixKey"/>'s
    /// result: the rule matches <c>/</c>, itself, and anything below it on an element boundary.
    /// </summary>
    public static bool Matches(PathMatchType type, string rulePath, ReadOnlySpan<char> requestPath)
    {
        if (type == PathMatchType.Exact)
        {
            return requestPath.SequenceEqual(rulePath);
        }

        if (rulePath.Length == 1)
        {
            return true;
        }

        return requestPath.StartsWith(rulePath, StringComparison.Ordinal)
            && (requestPath.Length == rulePath.Length || requestPath[rulePath.Length] == '/');
    }
}
