using System.Collections.Frozen;
using OneHop.Core.Routing.Ingresses.Nginx;

namespace OneHop.Core.Migration;

/// <summary>
/// Which ingress-nginx annotations the Gateway API conversion carries over, and why the others are not: the table of
/// docs/ingress-nginx.md's "Moving to Gateway API". Annotations that map only in some uses (a rewrite-target with
/// capture groups, force-ssl-redirect without TLS) are noted where the converter meets them.
/// </summary>
internal static class GatewayApiEquivalents
{
    /// <summary>The annotations the converter turns into Gateway API fields (without the prefix).</summary>
    public static readonly FrozenSet<string> Mapped = new[]
    {
        "use-regex", "rewrite-target", "app-root", "x-forwarded-prefix", "upstream-vhost",
        "ssl-redirect", "force-ssl-redirect", "permanent-redirect", "permanent-redirect-code", "temporal-redirect", "temporal-redirect-code",
        "canary", "canary-weight", "canary-weight-total", "canary-by-header", "canary-by-header-value", "canary-by-header-pattern", "canary-by-cookie",
        "enable-cors", "cors-allow-origin", "cors-allow-methods", "cors-allow-headers", "cors-expose-headers", "cors-allow-credentials", "cors-max-age",
        "backend-protocol", "proxy-read-timeout", "proxy-send-timeout", "ssl-passthrough",
        "proxy-ssl-secret", "proxy-ssl-verify", "proxy-ssl-name", "proxy-ssl-server-name",
        "custom-headers", "mirror-target", "server-alias",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Why an annotation that is not in <see cref="Mapped"/> has no Gateway API equivalent.</summary>
    public static string Reason(string name) => name switch
    {
        _ when name.EndsWith("-snippet", StringComparison.Ordinal) => "nginx configuration; never carried over",
        "auth-type" or "auth-secret" or "auth-secret-type" or "auth-realm" => "Gateway API has no basic authentication",
        _ when name.StartsWith("auth-tls-", StringComparison.Ordinal) => "client certificates are the Gateway's (spec.tls.frontend, with a ConfigMap CA and no subject match), not a route's: write it by hand",
        _ when name.StartsWith("auth-", StringComparison.Ordinal) || name == "enable-global-auth" => "Gateway API's external authentication filter (ExternalAuth) is experimental and not written by this conversion",
        _ when name.StartsWith("limit-", StringComparison.Ordinal) => "Gateway API has no rate or connection limits",
        "whitelist-source-range" or "allowlist-source-range" or "denylist-source-range" => "Gateway API has no client address filter",
        "affinity" or "affinity-mode" or "affinity-canary-behavior" or "load-balance" or "upstream-hash-by" or "upstream-hash-by-subset" or "upstream-hash-by-subset-size"
            => "Gateway API leaves balancing and affinity to the implementation (session persistence is experimental)",
        _ when name.StartsWith("session-cookie-", StringComparison.Ordinal) => "Gateway API leaves balancing and affinity to the implementation (session persistence is experimental)",
        "custom-http-errors" or "default-backend" => "Gateway API has no error pages or fallback backend",
        "proxy-connect-timeout" => "Gateway API has no connection timeout",
        "proxy-body-size" or "client-body-buffer-size" => "Gateway API has no request body limit",
        _ when name.StartsWith("proxy-next-upstream", StringComparison.Ordinal) => "HTTPRoute's retry (experimental) has no equivalent of nginx's conditions",
        "proxy-ssl-verify-depth" or "proxy-ssl-protocols" or "proxy-ssl-ciphers" => "BackendTLSPolicy has no chain depth, TLS versions or ciphers",
        "from-to-www-redirect" => "needs a route for the other host with a RequestRedirect: write it by hand",
        "service-upstream" => "Gateway API leaves the choice of the Service's ClusterIP or its endpoints to the implementation (OneHop always takes the endpoints)",
        "connection-proxy-header" => "Connection is a hop-by-hop header: a RequestHeaderModifier does not set it on the connection to the pod",
        "proxy-redirect-from" or "proxy-redirect-to" => "Gateway API has no filter that rewrites the Location and Refresh headers of the pods' answers (ResponseHeaderModifier sets fixed values only): the pods must send the public URL themselves",
        "proxy-cookie-domain" or "proxy-cookie-path" => "Gateway API has no filter that rewrites the Domain or Path of the pods' Set-Cookie headers (ResponseHeaderModifier sets fixed values only): the pods must set them themselves",
        "enable-opentelemetry" or "opentelemetry-trust-incoming-span" or "opentelemetry-operation-name" => "Gateway API has no tracing setting of a route: tracing is the implementation's (OneHop's --otlp-endpoint and --trace-sample-ratio)",
        "mirror-host" => "RequestMirror sends the copies with the request's own Host",
        "mirror-request-body" => "RequestMirror copies whole requests; whether their bodies go too is the implementation's choice (OneHop mirrors only requests without one)",
        _ => "Gateway API has no equivalent",
    };

    /// <summary>
    /// The note for an annotation the converter does not carry over, or null when it maps, or when with
    /// <paramref name="settings"/> it has no effect (proxy-redirect-* and proxy-cookie-* off rewrite nothing).
    /// </summary>
    public static string? NotMapped(NginxFinding finding, NginxSettings? settings = null)
    {
        var name = finding.Key[NginxAnnotations.Prefix.Length..];
        var rewrite = settings?.ResponseRewrite;
        return finding switch
        {
            { Entry: null } => "not an ingress-nginx annotation OneHop knows",
            { Problem: { } problem } => $"bad value: {problem}",
            _ when Mapped.Contains(name) => null,
            _ when settings is not null && (name is "proxy-redirect-from" or "proxy-redirect-to" ? rewrite?.Redirect is null
                : name == "proxy-cookie-domain" ? rewrite?.CookieDomain is null : name == "proxy-cookie-path" && rewrite?.CookiePath is null) => null,
            _ => Reason(name),
        };
    }
}
