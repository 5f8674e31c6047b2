namespace OneHop.Core.Routing;

/// <summary>How a redirect or rewrite changes the path: replace all of it, or only the prefix the route matched.</summary>
internal sealed record PathModifier(bool ReplacesFullPath, string Value)
{
    /// <summary>
    /// The new path for <paramref name="path"/>, matched by the Prefix route <paramref name="matchedPrefix"/> (its
    /// <c>PrefixKey</c>). ReplacePrefixMatch swaps whole path elements, as the Gateway API conformance cases expect:
    /// prefix <c>/prefix/one</c> with <c>/one</c> makes <c>/prefix/one/two</c> into <c>/one/two</c>, and with <c>/</c>
    /// into <c>/two</c>; the result never has a doubled or a missing <c>/</c>.
    /// </summary>
    public string Apply(string path, string matchedPrefix)
    {
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
}
