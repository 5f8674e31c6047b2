namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// The request target as the client sent it (<c>IHttpRequestFeature.RawTarget</c>). Routing uses Kestrel's decoded and
/// normalized path; the pod gets the path as sent, as nginx passes it when <c>proxy_pass</c> has no URI part, because
/// re-encoding the decoded path changes what the pod sees (<c>%2F</c> became <c>%252F</c>, <c>%3B</c> became
/// <c>;</c>), which breaks npm scoped packages, GitLab's <c>group%2Fproject</c> and legacy IIS paths.
/// </summary>
internal static class RawTargets
{
    /// <summary>
    /// The path and query to send to the pod: the origin-form target, or what follows the authority of an
    /// absolute-form one; empty for the other forms (<c>*</c>, authority-form), which keep the default.
    /// </summary>
    public static ReadOnlySpan<char> PathAndQuery(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget))
        {
            return default;
        }

        if (rawTarget[0] == '/')
        {
            return rawTarget;
        }

        var scheme = rawTarget.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return default;
        }

        var target = rawTarget.AsSpan(scheme + 3);
        var path = target.IndexOfAny('/', '?');
        return path < 0 ? "/" : target[path] == '/' ? target[path..] : string.Concat("/", target[path..]);
    }

    /// <summary>Why the path of <paramref name="pathAndQuery"/> is refused (nginx refuses both with 400), or null.</summary>
    public static string? Problem(ReadOnlySpan<char> pathAndQuery)
    {
        var query = pathAndQuery.IndexOf('?');
        var path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        for (var i = path.IndexOf('%'); i >= 0; i = NextPercent(path, i + 1))
        {
            if (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2]))
            {
                return "invalid percent-encoding in the path";
            }
        }

        // A pod that joins the path to a directory must never be handed one that climbs out of it.
        var depth = 0;
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (IsDots(segment, 2))
            {
                if (--depth < 0)
                {
                    return "the path climbs above the root";
                }
            }
            else if (!segment.IsEmpty && !IsDots(segment, 1))
            {
                depth++;
            }
        }

        return null;
    }

    private static int NextPercent(ReadOnlySpan<char> path, int from)
    {
        var next = path[from..].IndexOf('%');
        return next < 0 ? -1 : from + next;
    }

    /// <summary>True when <paramref name="segment"/> is <paramref name="count"/> dots, each written '.' or "%2e".</summary>
    private static bool IsDots(ReadOnlySpan<char> segment, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (segment.StartsWith("."))
            {
                segment = segment[1..];
            }
            else if (segment.StartsWith("%2e", StringComparison.OrdinalIgnoreCase))
            {
                segment = segment[3..];
            }
            else
            {
                return false;
            }
        }

        return segment.IsEmpty;
    }
}
