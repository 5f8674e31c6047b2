using System.Collections.Immutable;
using OneHop.Core.Configuration;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Turns an Ingress rule's ingress-nginx settings into the policy core's route conditions and filters: regex paths,
/// rewrites, redirects, the Host and X-Forwarded-Prefix the pod gets. Pure, like the translator that calls it.
/// </summary>
internal static class NginxRoutes
{
    /// <summary>
    /// The regular expression a rule's path becomes on a host where any Ingress uses regex (ingress-nginx's
    /// <c>location ~* "^PATH"</c>): case-insensitive, anchored at the start only. Null for Exact rules, which stay exact.
    /// </summary>
    public static string? PathRegex(IngressRule rule, bool hostUsesRegex) =>
        !hostUsesRegex || rule.PathType != PathMatchType.Prefix ? null
        : RegexProblem(rule.Path) is null ? $"(?i:{rule.Path}).*"
        : $"(?i:{System.Text.RegularExpressions.Regex.Escape(rule.Path)}).*"; // a plain path of another Ingress that is no valid regex

    /// <summary>Why <paramref name="path"/> cannot be a regex path, or null.</summary>
    public static string? RegexProblem(string path)
    {
        ValueMatch.FullMatch($"(?i:{path}).*", out var problem);
        return problem;
    }

    /// <summary>
    /// <paramref name="route"/> with the rule's ingress-nginx behaviour. A regex rule is written as the prefix <c>/</c> with a
    /// path condition, ranked so that longer paths are tried first, as ingress-nginx orders its regex locations.
    /// </summary>
    /// <param name="basicAuth">The users of the Ingress's <c>auth-secret</c>, read by <see cref="NginxBasicAuthResolver"/>.</param>
    /// <param name="externalAuth">The Ingress's <c>auth-url</c>, with its Service resolved by <see cref="NginxExternalAuthResolver"/>.</param>
    /// <param name="errorPages">The rule's <c>default-backend</c> and <c>custom-http-errors</c>, from <see cref="NginxErrorPagesResolver"/>.</param>
    /// <param name="headers">The Ingress's header edits, from <see cref="Headers"/>.</param>
    /// <param name="mirror">The Ingress's <c>mirror-target</c>, resolved by <see cref="NginxMirrorResolver"/>.</param>
    /// <param name="ingressName">The Ingress's name, for <c>$ingress_name</c> in a span name.</param>
    public static Route Shape(Route route, IngressRule rule, NginxSettings nginx, string ingressName, bool hostUsesRegex, RouteBasicAuth? basicAuth = null, RouteExternalAuth? externalAuth = null, RouteErrorPages? errorPages = null, (HeaderEdits? Request, HeaderEdits? Response) headers = default, RouteMirror? mirror = null)
    {
        if (PathRegex(rule, hostUsesRegex) is { } regex)
        {
            route = route with
            {
                Path = "/",
                Conditions = new RouteConditions(null, [], [], regex),
                Rank = -rule.Path.Length,
            };
        }

        if (nginx.UpstreamTimeouts is { } timeouts)
        {
            route = route with { UpstreamTimeouts = timeouts };
        }

        if (nginx.ResponseRate is { } rate)
        {
            route = route with { ResponseRate = rate };
        }

        if (nginx.WithoutAccessLog || nginx.AccessLogSkips is not null)
        {
            route = route with { WithoutAccessLog = nginx.WithoutAccessLog, AccessLogSkips = nginx.AccessLogSkips };
        }

        if (nginx.GeneratesRequestId || nginx.AddsOriginalUri)
        {
            route = route with { GeneratesRequestId = nginx.GeneratesRequestId, AddsOriginalUri = nginx.AddsOriginalUri };
        }

        if (nginx.Tracing is { } tracing)
        {
            route = route with
            {
                Tracing = nginx.SpanName is { Length: > 0 } name ? tracing with { OperationName = NginxSpanName.ForRule(name, rule.Backend.Namespace, ingressName, rule.Backend) } : tracing,
            };
        }

        var filters = Filters(rule, nginx, basicAuth, externalAuth, errorPages, headers, mirror);
        return filters is null ? route : route with { Filters = filters };
    }

    /// <summary>
    /// The header edits of an Ingress, made once per translation: to the request, the controller ConfigMap's
    /// proxy-set-headers and x-forwarded-prefix; to the response, add-headers then the Ingress's custom-headers, and
    /// hide-headers removed.
    /// </summary>
    public static (HeaderEdits? Request, HeaderEdits? Response) Headers(CompiledIngress ingress, NginxGlobalHeaders globals) =>
        (NginxHeaderMaps.Merge(globals.Request, ingress.Nginx.XForwardedPrefix is { } prefix ? [new("X-Forwarded-Prefix", prefix)] : []),
         NginxHeaderMaps.Merge(globals.Response, ingress.CustomHeaders, globals.Hide));

    private static RouteFilters? Filters(IngressRule rule, NginxSettings nginx, RouteBasicAuth? basicAuth, RouteExternalAuth? externalAuth, RouteErrorPages? errorPages, (HeaderEdits? Request, HeaderEdits? Response) headers, RouteMirror? mirror)
    {
        if (nginx.Redirect is { } redirect)
        {
            // The Location is the URL as written (nginx's "return 301 URL"): no '/' is added after a bare host.
            var target = redirect.Target;
            var raw = target.OriginalString;
            var rest = raw.IndexOfAny(['/', '?', '#'], target.Scheme.Length + 3);
            return new RouteFilters(Redirect: new RouteRedirect(target.Scheme, target.Host, target.Port, new PathModifier(true, rest < 0 ? string.Empty : raw[rest..]), redirect.StatusCode)
            {
                DropQuery = true,
            })
            {
                Blocks = nginx.Blocks,
            };
        }

        // no-auth-locations: ingress-nginx's template leaves every authentication out of these locations (ACME challenges).
        if (nginx.NoAuthLocations.Any(prefix => rule.Path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            (basicAuth, externalAuth) = (null, null);
        }

        var rewritePath = nginx.RewriteTarget is { } target2 ? new PathModifier(true, target2) { Pattern = $"(?i){rule.Path}" } : null;
        var rewrite = rewritePath is null && nginx.UpstreamVhost is null ? null : new RouteRewrite(nginx.UpstreamVhost, rewritePath);
        var (request, response) = headers;
        var clientCertificate = nginx.ClientAuth is { } clientAuth ? new RouteClientCertificate(clientAuth.PassCertificate) : null;
        return rewrite is null && request is null && response is null && nginx.Cors is null && nginx.SourceRanges is null && nginx.Blocks is null && basicAuth is null && externalAuth is null && nginx.RateLimit is null && nginx.MaxRequestBodySize is null && errorPages is null && clientCertificate is null && mirror is null && nginx.ResponseRewrite is null
            ? null
            : new RouteFilters(Request: request, Response: response, Rewrite: rewrite) { Cors = nginx.Cors, Blocks = nginx.Blocks, SourceRanges = nginx.SourceRanges, BasicAuth = basicAuth, ExternalAuth = externalAuth, RateLimit = nginx.RateLimit, MaxRequestBodySize = nginx.MaxRequestBodySize, ErrorPages = errorPages, ClientCertificate = clientCertificate, Mirrors = mirror is null ? null : [mirror], ResponseRewrite = nginx.ResponseRewrite };
    }

    /// <summary>A redirect route of an Ingress with the ConfigMap's block lists, which nginx checks before any return of the server.</summary>
    public static Route WithBlocks(Route route, RouteRequestBlocks? blocks) =>
        blocks is null ? route : route with { Filters = (route.Filters ?? new RouteFilters()) with { Blocks = blocks } };

    /// <summary><c>app-root</c>: an Exact <c>/</c> route on the host answered 302 to the root, with the request's scheme and Host.</summary>
    public static Route AppRoot(string id, string host, string appRoot, string source) =>
        new(id, host, "/", PathMatchType.Exact, string.Empty, source)
        {
            Filters = new RouteFilters(Redirect: new RouteRedirect(null, null, null, new PathModifier(true, appRoot), 302) { DropQuery = true, NginxAuthority = true }),
        };

    /// <summary><c>from-to-www-redirect</c>: every request for <paramref name="from"/> answered <paramref name="status"/> (308 unless <c>http-redirect-code</c>) to the same URL on <paramref name="to"/>.</summary>
    public static Route WwwRedirect(string id, string from, string to, string source, int status = 308) =>
        new(id, from, "/", PathMatchType.Prefix, string.Empty, source)
        {
            Filters = new RouteFilters(Redirect: new RouteRedirect(null, to, null, null, status) { NginxAuthority = true }),
        };

    /// <summary>The host <c>from-to-www-redirect</c> sends to <paramref name="host"/> from: www. added or removed; null for wildcards.</summary>
    public static string? OtherWwwHost(string host) =>
        host.Length == 0 || host.StartsWith('*') ? null
        : host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : "www." + host;

    /// <summary>Hosts where any served Ingress uses regex paths: ingress-nginx then treats every path of the host as one.</summary>
    public static ImmutableHashSet<string> RegexHosts(IEnumerable<CompiledIngress> ingresses) =>
        [.. ingresses.Where(i => i.Nginx.UseRegex).SelectMany(i => i.Rules.Select(r => r.Host))];
}
