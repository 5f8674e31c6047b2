namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>The parsers of the traffic annotations: canaries, CORS, aliases, mirroring and custom error pages.</summary>
internal static partial class NginxAnnotations
{
    private static string? HeaderPattern(string value, NginxSettingsBuilder settings)
    {
        if (ValueMatch.FullMatch(value, out var problem) is null)
        {
            return problem;
        }

        settings.CanaryHeaderPattern = value;
        return null;
    }

    private static string? CookieName(string value, Action<string> set)
    {
        if (!NginxValues.CookieName().IsMatch(value))
        {
            return $"'{value}' is not a cookie name (letters, digits, -, _ and .)";
        }

        set(value);
        return null;
    }

    private static string? CorsOrigins(string value, NginxSettingsBuilder settings)
    {
        var origins = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (origins.Length == 0)
        {
            return "the value is empty";
        }

        if (origins.FirstOrDefault(o => o != "*" && !NginxValues.CorsOrigin().IsMatch(o)) is { } bad)
        {
            return $"'{bad}' is not *, an origin such as https://app.example.com, or https://*.example.com";
        }

        settings.CorsOrigins = [.. origins];
        return null;
    }

    /// <summary>ingress-nginx's parser: comma-separated, trimmed, empty entries skipped, distinct and sorted; each a host name or a *. wildcard.</summary>
    private static string? ServerAlias(string value, NginxSettingsBuilder settings)
    {
        var aliases = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(a => a.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (aliases.FirstOrDefault(a => Uri.CheckHostName(a.StartsWith("*.", StringComparison.Ordinal) ? a[2..] : a) != UriHostNameType.Dns) is { } bad)
        {
            return $"'{bad}' is not a host name or a *. wildcard (nginx's ~regular expression names are not supported)";
        }

        settings.ServerAliases = [.. aliases];
        return null;
    }

    /// <summary>An absolute http(s) URL with its host written out; the nginx variables of <see cref="RequestTemplate"/> may stand in its path and query.</summary>
    private static string? MirrorTarget(string value, NginxSettingsBuilder settings)
    {
        value = value.Trim();
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        var end = scheme < 0 ? -1 : value.IndexOfAny(['/', '?', '$'], scheme + 3);
        var authority = end < 0 ? value : value[..end];
        // https://host$request_uri is fine: the variable starts with '/'; any other right after the authority is part of the host.
        if (end >= 0 && value[end] == '$' && !PathVariable().IsMatch(value[end..]))
        {
            return $"'{value}' has an nginx variable in its host; OneHop needs the host written out (variables may stand in the path and query)";
        }

        if (NginxValues.AbsoluteUrl(authority) is not { } origin || origin.PathAndQuery != "/" || authority.Contains('#', StringComparison.Ordinal))
        {
            return $"'{value}' is not an absolute http:// or https:// URL";
        }

        var rest = end < 0 ? null : value[end..];
        if (rest is not null && (NginxValues.HasUnsafe(rest) || rest.Contains('#', StringComparison.Ordinal)))
        {
            return $"'{value}' is not an absolute http:// or https:// URL (no spaces, quotes, fragment or nginx syntax)";
        }

        if (rest is not null && RequestTemplate.Parse(rest, out var problem) is null)
        {
            return problem;
        }

        settings.MirrorTarget = (origin, rest);
        return null;
    }

    /// <summary>ingress-nginx's validator: a DNS-1035 label, the name of a Service of the Ingress's own namespace.</summary>
    private static string? DefaultBackend(string value, NginxSettingsBuilder settings)
    {
        if (!NginxValues.ServiceName().IsMatch(value))
        {
            return $"'{value}' is not the name of a Service of the Ingress's namespace (a DNS-1035 label: lowercase letters, digits and '-', starting with a letter)";
        }

        settings.DefaultBackend = value;
        return null;
    }

    /// <summary>ingress-nginx's: statuses from 400 to 599, comma-separated, spaces allowed; a code given twice counts once.</summary>
    private static string? HttpErrors(string value, NginxSettingsBuilder settings)
    {
        var codes = new SortedSet<int>();
        foreach (var part in value.Split(','))
        {
            var code = part.Trim();
            if (code.Length == 0)
            {
                continue;
            }

            if (code.Length != 3 || NginxValues.Int(code, 400, 599) is not { } status)
            {
                return $"'{code}' is not an HTTP status from 400 to 599";
            }

            codes.Add(status);
        }

        if (codes.Count == 0)
        {
            return "no status is given; write them comma-separated, such as 404,503";
        }

        settings.CustomHttpErrors = [.. codes];
        return null;
    }

    /// <summary>The variables that start with '/' and may follow a URL's authority directly: <c>$request_uri</c>, <c>$uri</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^\$(\{request_uri\}|\{uri\}|request_uri|uri)(?![A-Za-z0-9_])")]
    private static partial System.Text.RegularExpressions.Regex PathVariable();
}
