namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>The parsers of the backend annotations: rewrites, protocol, balancing, session affinity and retries.</summary>
internal static partial class NginxAnnotations
{
    private static string? RewriteTarget(string value, NginxSettingsBuilder settings)
    {
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return "an absolute URL makes nginx answer a redirect instead of rewriting; use permanent-redirect or temporal-redirect";
        }

        if (value.Length == 0 || NginxValues.HasUnsafe(value) || !(value.StartsWith('/') || value.StartsWith('$')))
        {
            return $"'{value}' is not a path such as /, /$2 or $1/app (no spaces, quotes or nginx syntax)";
        }

        settings.RewriteTarget = value;
        return null;
    }

    private static string? Protocol(string value, NginxSettingsBuilder settings)
    {
        BackendProtocol? protocol = value.ToUpperInvariant() switch
        {
            "HTTP" => Routing.BackendProtocol.Http,
            "HTTPS" => Routing.BackendProtocol.Https,
            "GRPC" or "H2C" => Routing.BackendProtocol.H2c,
            "GRPCS" => Routing.BackendProtocol.H2,
            _ => null,
        };
        if (protocol is null)
        {
            return value.ToUpperInvariant() is "AJP" or "FCGI" or "AUTO_HTTP"
                ? $"{value} is not supported: OneHop speaks HTTP/1.1 and HTTP/2 to pods (HTTP, HTTPS, GRPC, GRPCS, H2C)"
                : $"'{value}' is not HTTP, HTTPS, GRPC, GRPCS or H2C";
        }

        settings.BackendProtocol = protocol;
        return null;
    }

    private static string? LoadBalance(string value, NginxSettingsBuilder settings)
    {
        var algorithm = value switch
        {
            "round_robin" => "round-robin",
            "ewma" => "peak-ewma",
            _ => null,
        };
        if (algorithm is null)
        {
            return $"'{value}' is not round_robin or ewma";
        }

        settings.Policy("load-balance", algorithm);
        return null;
    }

    private static string? HashBy(string value, NginxSettingsBuilder settings)
    {
        var key = value switch
        {
            "$remote_addr" or "$binary_remote_addr" => "client-ip",
            "$request_uri" or "$uri" => "path",
            _ when value.StartsWith("$http_", StringComparison.Ordinal) && value.Length > 6 => $"header:{value[6..].Replace('_', '-')}",
            _ when value.StartsWith("$cookie_", StringComparison.Ordinal) && value.Length > 8 => $"cookie:{value[8..]}",
            _ => null,
        };
        if (key is null)
        {
            return $"'{value}' is not one nginx variable OneHop can hash on ($remote_addr, $binary_remote_addr, $request_uri, $uri, $http_NAME, $cookie_NAME)";
        }

        settings.Policy("load-balance", "maglev");
        settings.Policy("hash-key", key);
        return null;
    }

    private static string? Affinity(string value, NginxSettingsBuilder settings)
    {
        if (value != "cookie")
        {
            return $"'{value}' is not cookie (the only affinity ingress-nginx has)";
        }

        settings.Policy("load-balance", "cookie");
        return null;
    }

    private static string? CookieName(string value, NginxSettingsBuilder settings)
    {
        if (!NginxValues.CookieName().IsMatch(value))
        {
            return $"'{value}' is not a cookie name (letters, digits, -, _ and .)";
        }

        settings.Policy("affinity-cookie", value);
        return null;
    }

    private static string? NextUpstreamTimeout(string value, NginxSettingsBuilder settings)
    {
        if (NginxValues.Int(value, 0, 86_400) is not { } seconds)
        {
            return $"'{value}' is not a whole number of seconds from 0 (no limit) to 86400";
        }

        settings.ProxyNextUpstreamTimeout = seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
        return null;
    }

    private static string? Tries(string value, NginxSettingsBuilder settings)
    {
        if (NginxValues.Int(value, 0, 1000) is not { } tries)
        {
            return $"'{value}' is not a number of tries (0 for no limit)";
        }

        settings.Policy("retries", (tries == 0 ? 10 : Math.Min(tries, 10)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return null;
    }

    private static string? NextUpstream(string value, NginxSettingsBuilder settings)
    {
        string[] known = ["error", "timeout", "invalid_header", "http_500", "http_502", "http_503", "http_504", "http_403", "http_404", "http_429", "non_idempotent", "off"];
        var tokens = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            return "the value is empty";
        }

        if (tokens.FirstOrDefault(t => !known.Contains(t)) is { } bad)
        {
            return $"'{bad}' is not one of {string.Join(", ", known)}";
        }

        if (tokens.Contains("off"))
        {
            settings.Policy("retries", "1");
        }

        return null;
    }

    private static string? CookieSeconds(string value, string key, NginxSettingsBuilder settings)
    {
        if (NginxValues.Int(value, 0, int.MaxValue) is not { } seconds)
        {
            return $"'{value}' is not a whole number of seconds";
        }

        settings.Policy(key, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return null;
    }

    private static string? SameSite(string value, NginxSettingsBuilder settings)
    {
        var mode = value.ToLowerInvariant() switch { "none" => "None", "lax" => "Lax", "strict" => "Strict", _ => null };
        if (mode is null)
        {
            return $"'{value}' is not None, Lax or Strict";
        }

        settings.Policy("affinity-cookie-samesite", mode);
        return null;
    }

    private static string? CookieDomain(string value, NginxSettingsBuilder settings)
    {
        if (Uri.CheckHostName(value.TrimStart('.')) != UriHostNameType.Dns)
        {
            return $"'{value}' is not a domain such as example.com or .example.com";
        }

        settings.Policy("affinity-cookie-domain", value);
        return null;
    }
}
