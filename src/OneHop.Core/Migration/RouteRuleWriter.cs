using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Migration;

/// <summary>
/// One Ingress path as an HTTPRoute rule: the path match (ingress-nginx's regular expressions included), the filters of
/// the annotations that map (redirects, rewrites, upstream-vhost, x-forwarded-prefix, CORS, custom-headers, mirror-target),
/// the controller ConfigMap's headers and the timeouts, noting on the way what does not map exactly.
/// </summary>
internal sealed partial class RouteRuleWriter(MigrationIngress ingress, bool regexHost, List<MigrationNote> notes)
{
    private readonly HashSet<string> _noted = new(StringComparer.Ordinal);

    /// <summary>The controller ConfigMap's proxy-set-headers, add-headers and hide-headers, for every rule.</summary>
    public NginxGlobalHeaders Globals { get; init; } = NginxGlobalHeaders.None;

    /// <summary>The headers of the Ingress's custom-headers ConfigMap, read and checked by the migrator.</summary>
    public ImmutableArray<KeyValuePair<string, string>> CustomHeaders { get; init; } = [];

    /// <summary>Where a mirror to another namespace's Service asks for its ReferenceGrant.</summary>
    public ReferenceGrantSet? Grants { get; init; }

    /// <summary>The <c>app-root</c> rule: a request for exactly / answered 302 to the root, as ingress-nginx does.</summary>
    public HttpRouteRule? AppRoot() => ingress.Settings.AppRoot is { } root
        ? new HttpRouteRule
        {
            Matches = [new HttpRouteMatch { Path = new HttpPathMatch { Type = "Exact", Value = "/" } }],
            Filters = [new HttpRouteFilter { Type = "RequestRedirect", RequestRedirect = new HttpRequestRedirectFilter { Path = FullPath(root), StatusCode = 302 } }],
        }
        : null;

    /// <summary>The rule of one path, with its backend.</summary>
    public HttpRouteRule Rule(MigrationPath path)
    {
        var settings = ingress.Settings;
        var rule = new HttpRouteRule { Matches = [new HttpRouteMatch { Path = Match(path, out var prefixRewrite) }] };
        if (settings.Redirect is { } redirect)
        {
            rule.Filters = [new HttpRouteFilter { Type = "RequestRedirect", RequestRedirect = Redirect(redirect.Target, redirect.StatusCode) }];
            return rule;
        }

        var filters = new List<HttpRouteFilter>();
        var rewrite = new HttpUrlRewriteFilter { Hostname = settings.UpstreamVhost };
        if (prefixRewrite)
        {
            rewrite.Path = new HttpPathModifier { Type = "ReplacePrefixMatch", ReplacePrefixMatch = "/" };
        }
        else if (settings.RewriteTarget is { } target)
        {
            if (target.Contains('$', StringComparison.Ordinal))
            {
                Note("rewrite-target", MigrationNoteKind.NotMapped, $"'{target}' uses capture groups of the path: URLRewrite replaces a path prefix or the whole path, never with captures (only /prefix(/|$)(.*) with /$2 maps, as ReplacePrefixMatch)");
            }
            else
            {
                rewrite.Path = FullPath(target);
            }
        }

        if (rewrite.Path is not null || rewrite.Hostname is not null)
        {
            filters.Add(new HttpRouteFilter { Type = "URLRewrite", UrlRewrite = rewrite });
        }

        // As OneHop serves them (NginxRoutes.Headers): proxy-set-headers and x-forwarded-prefix to the pod; add-headers,
        // then custom-headers, set on the answer and hide-headers removed.
        if (NginxHeaderMaps.Merge(Globals.Request, settings.XForwardedPrefix is { } prefix ? [new("X-Forwarded-Prefix", prefix)] : []) is { } request)
        {
            filters.Add(new HttpRouteFilter { Type = "RequestHeaderModifier", RequestHeaderModifier = Modifier(request) });
        }

        if (NginxHeaderMaps.Merge(Globals.Response, CustomHeaders, Globals.Hide) is { } response)
        {
            filters.Add(new HttpRouteFilter { Type = "ResponseHeaderModifier", ResponseHeaderModifier = Modifier(response) });
        }

        if (Mirror() is { } mirror)
        {
            filters.Add(mirror);
        }

        if (settings.Cors is { } cors)
        {
            filters.Add(new HttpRouteFilter { Type = "CORS", Cors = Cors(cors) });
            Note("enable-cors", MigrationNoteKind.Difference, "the CORS filter is Gateway API's experimental channel (HTTPRouteCORS, v1.3+); a Gateway that does not support it refuses the rule");
        }

        rule.Filters = filters.Count > 0 ? filters : null;
        rule.BackendRefs = [path.Backend];
        if (settings.UpstreamTimeouts is { } timeouts && (timeouts.Read is not null || timeouts.Send is not null))
        {
            // nginx's default for the other of the two is 60 s.
            var longest = new[] { timeouts.Read, timeouts.Send }.Max(t => t ?? TimeSpan.FromSeconds(60));
            rule.Timeouts = new HttpRouteTimeouts { BackendRequest = ((long)longest.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s" };
            Note(timeouts.Read is not null ? "proxy-read-timeout" : "proxy-send-timeout", MigrationNoteKind.Difference,
                $"timeouts.backendRequest {rule.Timeouts.BackendRequest} bounds the whole exchange with the pod, where proxy-read-timeout and proxy-send-timeout bound each wait between two reads or two writes: a longer streamed response is cut");
        }

        return rule;
    }

    /// <summary>The path match; <paramref name="prefixRewrite"/> when the documented <c>/prefix(/|$)(.*)</c> with <c>/$2</c> became a prefix rewrite.</summary>
    private HttpPathMatch Match(MigrationPath path, out bool prefixRewrite)
    {
        prefixRewrite = false;
        if (path.PathType == "Exact")
        {
            return new HttpPathMatch { Type = "Exact", Value = path.Path };
        }

        if (!regexHost)
        {
            return new HttpPathMatch { Type = "PathPrefix", Value = path.Path };
        }

        if (ingress.Settings.RewriteTarget == "/$2" && CaptureRest().Match(path.Path) is { Success: true } capture)
        {
            prefixRewrite = true;
            Note("rewrite-target", MigrationNoteKind.Difference, "the path is matched as a PathPrefix, case-sensitively, where ingress-nginx's regular expression ignores case");
            return new HttpPathMatch { Type = "PathPrefix", Value = capture.Groups[1].Value.Length == 0 ? "/" : capture.Groups[1].Value };
        }

        if (!RegexSyntax().IsMatch(path.Path))
        {
            return new HttpPathMatch { Type = "PathPrefix", Value = path.Path };
        }

        Note("use-regex", MigrationNoteKind.Difference, "ingress-nginx matches a regular expression path case-insensitively from the start of the path: written as (?i)PATH.* for Gateway API's whole-path match; regular expression dialects differ between implementations");
        return new HttpPathMatch { Type = "RegularExpression", Value = "(?i)" + path.Path + ".*" };
    }

    private HttpRequestRedirectFilter Redirect(Uri target, int status)
    {
        // OneHop's reader, as ingress-nginx, takes permanent-redirect first.
        var name = ingress.Findings.Any(f => f.Key == NginxAnnotations.Prefix + "permanent-redirect" && f.Problem is null) ? "permanent-redirect" : "temporal-redirect";
        if (target.Query.Length > 1 || target.Fragment.Length > 1)
        {
            Note(name, MigrationNoteKind.NotMapped, $"the URL's query or fragment ({target.Query}{target.Fragment}) cannot be written by a RequestRedirect: the redirect goes to {target.GetLeftPart(UriPartial.Path)}");
        }

        Note(name, MigrationNoteKind.Difference, "RequestRedirect keeps the request's query string, where ingress-nginx's return drops it");
        return new HttpRequestRedirectFilter
        {
            Scheme = target.Scheme,
            Hostname = target.Host,
            Port = target.IsDefaultPort ? null : target.Port,
            Path = FullPath(target.AbsolutePath),
            StatusCode = status,
        };
    }

    private static HttpHeaderFilter Modifier(HeaderEdits edits) => new()
    {
        Set = edits.Set.IsEmpty ? null : [.. edits.Set.Select(h => new HttpHeader { Name = h.Key, Value = h.Value })],
        Remove = edits.Remove.IsEmpty ? null : [.. edits.Remove],
    };

    /// <summary>
    /// <c>mirror-target</c> as a RequestMirror: only a Service's cluster DNS name maps, its port the Service port, since a
    /// RequestMirror sends to a backendRef, never to a URL; the copies keep the request's path and query.
    /// </summary>
    private HttpRouteFilter? Mirror()
    {
        if (ingress.Settings.Mirror is not { } mirror)
        {
            return null;
        }

        if (NginxClusterUrls.ServiceOf(mirror.Origin) is not { } service)
        {
            Note("mirror-target", MigrationNoteKind.NotMapped, $"{mirror.Origin.Host} is not a Service's cluster DNS name (SERVICE.NAMESPACE.svc): RequestMirror sends the copies to a Service, never to a URL");
            return null;
        }

        if (mirror.Target is { } target && target != "$request_uri")
        {
            Note("mirror-target", MigrationNoteKind.Difference, $"RequestMirror sends the copies with the request's own path and query, where ingress-nginx sends {target}");
        }

        var backend = new BackendReference { Name = service.Service, Port = service.PortNumber };
        if (service.Namespace != ingress.Key.Namespace)
        {
            backend.Namespace = service.Namespace;
            Grants?.Add(service.Namespace, "HTTPRoute", ingress.Key.Namespace, "Service", service.Service);
        }

        return new HttpRouteFilter { Type = "RequestMirror", RequestMirror = new HttpRequestMirrorFilter { BackendRef = backend } };
    }

    private static HttpPathModifier FullPath(string path) => new() { Type = "ReplaceFullPath", ReplaceFullPath = path };

    private HttpCorsFilter Cors(RouteCors cors) => new()
    {
        AllowOrigins = [.. cors.Origins],
        AllowCredentials = cors.Credentials,
        AllowMethods = List(cors.Methods, "cors-allow-methods"),
        AllowHeaders = List(cors.Headers, "cors-allow-headers"),
        ExposeHeaders = cors.ExposeHeaders is { } expose ? List(expose, "cors-expose-headers") : null,
        MaxAge = cors.MaxAge,
    };

    /// <summary>A comma-separated list; <c>*</c> alone when it is among the names, since Gateway API allows it only alone.</summary>
    private List<string> List(string commaSeparated, string annotation)
    {
        var names = commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length > 1 && names.Contains("*"))
        {
            Note(annotation, MigrationNoteKind.Difference, $"'{commaSeparated}': Gateway API allows * only alone, so the names beside it are left out (a request with credentials, for which * means no wildcard, no longer gets them)");
            return ["*"];
        }

        return [.. names];
    }

    /// <summary>A note once per annotation of this Ingress.</summary>
    public void Note(string annotation, MigrationNoteKind kind, string message)
    {
        if (_noted.Add(annotation + kind))
        {
            notes.Add(new MigrationNote(ingress.Key, ingress.Origin, MigrationIngress.Annotation(annotation), kind, message));
        }
    }

    /// <summary>ingress-nginx's documented rewrite: a literal prefix, then <c>(/|$)(.*)</c>.</summary>
    [GeneratedRegex(@"^(/?[^\\()|$^*+?.\[\]{}]*?)/?\(/\|\$\)\(\.\*\)$")]
    private static partial Regex CaptureRest();

    [GeneratedRegex(@"[\\()|$^*+?\[\]{}]")]
    private static partial Regex RegexSyntax();
}
