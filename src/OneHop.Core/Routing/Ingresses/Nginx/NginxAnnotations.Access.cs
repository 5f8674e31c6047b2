using System.Collections.Immutable;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>The parsers of the access-control annotations: source ranges, basic authentication and auth-url's settings.</summary>
internal static partial class NginxAnnotations
{
    /// <summary>A comma-separated list of addresses and CIDR networks, at least one, each checked; kept as written.</summary>
    internal static string? SourceRanges(string value, Action<ImmutableArray<string>> set)
    {
        var ranges = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ranges.Length == 0)
        {
            return "the value is empty";
        }

        if (ranges.FirstOrDefault(r => RouteSourceRanges.Network(r) is null) is { } bad)
        {
            return $"'{bad}' is not an IP address or a CIDR network such as 10.0.0.0/8";
        }

        set([.. ranges]);
        return null;
    }

    private static string? AuthType(string value, NginxSettingsBuilder settings)
    {
        if (value != "basic")
        {
            return value == "digest" ? "digest authentication is not supported: use basic over TLS" : $"'{value}' is not basic or digest";
        }

        settings.BasicAuth = true;
        return null;
    }

    private static string? AuthSecret(string value, NginxSettingsBuilder settings)
    {
        if (!State.ObjectKey.ObjectName().IsMatch(value) && State.ObjectKey.ParseNamespaced(value) is null)
        {
            return $"'{value}' is not a Secret name, or namespace/name";
        }

        settings.AuthSecret = value;
        return null;
    }

    private static string? Realm(string value, NginxSettingsBuilder settings)
    {
        if (value.Any(c => c < ' ' || c == 0x7f || c == '"' || c == '\\'))
        {
            return "the realm must fit in a quoted WWW-Authenticate parameter (no control characters, quotes or backslashes)";
        }

        settings.AuthRealm = value;
        return null;
    }

    private static string? Satisfy(string value, NginxSettingsBuilder settings)
    {
        if (value is not ("any" or "all"))
        {
            return $"'{value}' is not any or all";
        }

        settings.SatisfyAny = value == "any";
        return null;
    }

    private static string? AuthMethod(string value, NginxSettingsBuilder settings)
    {
        if (value is not ("GET" or "HEAD" or "POST" or "PUT" or "PATCH" or "DELETE" or "CONNECT" or "OPTIONS" or "TRACE"))
        {
            return $"'{value}' is not an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS or TRACE)";
        }

        settings.AuthMethod = value;
        return null;
    }

    private static string? AuthCacheDuration(string value, NginxSettingsBuilder settings)
    {
        if (NginxAuthCache.Parse(value, out var problem) is not { } rules)
        {
            return problem;
        }

        settings.AuthCacheDuration = rules;
        return null;
    }

    private static string? QueryName(string value, NginxSettingsBuilder settings)
    {
        if (!NginxValues.CookieName().IsMatch(value))
        {
            return $"'{value}' is not a query parameter name (letters, digits, -, _ and .)";
        }

        settings.AuthSigninRedirectParam = value;
        return null;
    }

    private static string? HeaderNames(string value, NginxSettingsBuilder settings)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            return "the value is empty";
        }

        if (names.FirstOrDefault(n => !NginxValues.CookieName().IsMatch(n) || n.Contains('.', StringComparison.Ordinal)) is { } bad)
        {
            return $"'{bad}' is not an HTTP header name (letters, digits, - and _)";
        }

        settings.AuthResponseHeaders = [.. names];
        return null;
    }
}
