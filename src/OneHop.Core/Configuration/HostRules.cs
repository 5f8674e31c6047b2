namespace OneHop.Core.Configuration;

/// <summary>
/// Ingress host rules (networking.k8s.io/v1): a precise DNS name, or <c>*.</c> plus a name, where the wildcard
/// covers exactly one label. Hosts are compared lowercase and without a port.
/// </summary>
internal static class HostRules
{
    /// <summary>Returns null when <paramref name="host"/> is a valid rule host, else the reason it is not.</summary>
    public static string? Validate(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return "a host must not be empty";
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            return "a host must not contain a port";
        }

        if (host == "*")
        {
            return "a wildcard host needs a domain, e.g. *.example.com";
        }

        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (name.Contains('*', StringComparison.Ordinal))
        {
            return "a wildcard is only allowed as the whole first label, e.g. *.example.com";
        }

        if (System.Net.IPAddress.TryParse(name, out _))
        {
            return "a host must be a DNS name, not an IP address";
        }

        if (name.Length > 253)
        {
            return "a host must be at most 253 characters";
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                return "each DNS label must be 1 to 63 characters";
            }

            if (!label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') || label[0] == '-' || label[^1] == '-')
            {
                return "a host must be a lowercase DNS name (a-z, 0-9, '-' and '.')";
            }
        }

        return null;
    }

    public static bool IsWildcard(string host) => host.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>The request's host without port or trailing dot: <c>[::1]:8080</c> → <c>[::1]</c>, <c>a.com.:80</c> → <c>a.com</c>.</summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> requestHost)
    {
        if (requestHost.StartsWith("["))
        {
            var close = requestHost.IndexOf(']');
            return close < 0 ? requestHost : requestHost[..(close + 1)];
        }

        var colon = requestHost.LastIndexOf(':');
        var host = colon >= 0 ? requestHost[..colon] : requestHost;
        return host.EndsWith(".") ? host[..^1] : host;
    }

    /// <summary>The part a wildcard rule compares: the host minus its first label; empty when there is none.</summary>
    public static ReadOnlySpan<char> WildcardSuffix(ReadOnlySpan<char> normalizedHost)
    {
        var dot = normalizedHost.IndexOf('.');
        return dot <= 0 ? [] : normalizedHost[(dot + 1)..];
    }
}
