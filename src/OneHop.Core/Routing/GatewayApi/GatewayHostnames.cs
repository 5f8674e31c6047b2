namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// Gateway API hostname rules: a wildcard <c>*.example.com</c> covers any number of labels in front of
/// <c>example.com</c> (not <c>example.com</c> itself); a route's hostnames are intersected with its listener's.
/// </summary>
internal static class GatewayHostnames
{
    /// <summary>
    /// The hosts a route serves on a listener: empty string for any host. Empty when they do not intersect (the route
    /// does not attach to that listener: NoMatchingListenerHostname).
    /// </summary>
    public static IReadOnlyList<string> Intersect(string? listener, IReadOnlyList<string> route)
    {
        if (route.Count == 0)
        {
            return [listener ?? string.Empty];
        }

        if (listener is null)
        {
            return route;
        }

        var hosts = new List<string>();
        foreach (var host in route)
        {
            string? served = host == listener ? host
                : Covers(listener, host) ? host
                : Covers(host, listener) ? listener
                : null;
            if (served is not null && !hosts.Contains(served, StringComparer.OrdinalIgnoreCase))
            {
                hosts.Add(served);
            }
        }

        return hosts;
    }

    /// <summary>True when the wildcard <paramref name="wildcard"/> covers <paramref name="host"/> (itself a name or a narrower wildcard).</summary>
    public static bool Covers(string wildcard, string host)
    {
        if (!wildcard.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = wildcard[1..];
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[1..] : host;
        return name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Why <paramref name="hostname"/> is not a valid Gateway API hostname, or null (RFC 1123, one leading <c>*.</c> allowed, no IP).</summary>
    public static string? Validate(string hostname)
    {
        var name = hostname.StartsWith("*.", StringComparison.Ordinal) ? hostname[2..] : hostname;
        if (name.Length == 0 || hostname.Length > 253)
        {
            return "must be a DNS name of at most 253 characters";
        }

        if (System.Net.IPAddress.TryParse(hostname, out _))
        {
            return "must be a name, not an IP address";
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || !char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1])
                || label.Any(c => !char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-'))
            {
                return "must be lowercase RFC 1123 labels (a-z, 0-9, '-'), optionally after one leading '*.'";
            }
        }

        return null;
    }
}
