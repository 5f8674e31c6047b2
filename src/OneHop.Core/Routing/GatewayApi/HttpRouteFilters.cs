using System.Collections.Immutable;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// A rule's HTTPRoute filters → <see cref="RouteFilters"/>: header modifiers, RequestRedirect, URLRewrite and CORS, checked as
/// the spec's validation rules say (no redirect with a rewrite, one filter of each type, header names once per
/// modifier). RequestMirror's share is checked here, its backend by the route translator. ExtensionRef is not
/// supported: the rule is refused with the reason.
/// </summary>
internal static class HttpRouteFilters
{
    private static readonly int[] RedirectCodes = [301, 302, 303, 307, 308];

    public static RouteFilters? Compile(IList<HttpRouteFilter>? filters, string field, List<string> problems)
    {
        if (filters is not { Count: > 0 })
        {
            return null;
        }

        var result = new RouteFilters();
        var types = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i] ?? new HttpRouteFilter();
            var at = $"{field}[{i}]";

            // The API server's validation says so too; a manifest directory has no API server, and a second filter would win silently.
            if (!types.Add(filter.Type) && filter.Type is not ("RequestMirror" or "ExtensionRef"))
            {
                problems.Add($"{at}: a second {filter.Type} filter; each filter type may be used once in a rule (RequestMirror and ExtensionRef aside)");
                continue;
            }

            switch (filter.Type)
            {
                case "RequestHeaderModifier" when filter.RequestHeaderModifier is { } edits:
                    result = result with { Request = Edits(edits, $"{at}.requestHeaderModifier", problems) };
                    break;
                case "ResponseHeaderModifier" when filter.ResponseHeaderModifier is { } edits:
                    result = result with { Response = Edits(edits, $"{at}.responseHeaderModifier", problems) };
                    break;
                case "RequestRedirect" when filter.RequestRedirect is { } redirect:
                    result = result with { Redirect = Redirect(redirect, $"{at}.requestRedirect", problems) };
                    break;
                case "URLRewrite" when filter.UrlRewrite is { } rewrite:
                    result = result with { Rewrite = new RouteRewrite(rewrite.Hostname, Path(rewrite.Path, $"{at}.urlRewrite.path", problems)) };
                    break;
                case "RequestMirror" when filter.RequestMirror is { } mirror:
                    // Its backendRef is resolved by the route translator (ReferenceGrants, Services); here only its share.
                    Share(mirror, $"{at}.requestMirror", problems);
                    break;
                case "CORS" when filter.Cors is { } cors:
                    result = result with { Cors = GatewayCors.Compile(cors, $"{at}.cors", problems) };
                    break;
                case "ExtensionRef":
                    problems.Add($"{at}: ExtensionRef filters are not supported by OneHop");
                    break;
                default:
                    problems.Add($"{at}: filter type '{filter.Type}' is unknown or lacks its settings");
                    break;
            }
        }

        if (result.Redirect is not null && result.Rewrite is not null)
        {
            problems.Add($"{field}: RequestRedirect and URLRewrite cannot be used together");
        }

        return result;
    }

    /// <summary>The share of requests a mirror copies: percent, or fraction (denominator 100 by default); all when neither.</summary>
    public static (int Numerator, int Denominator) Share(HttpRequestMirrorFilter mirror, string field, List<string> problems)
    {
        if (mirror.Percent is not null && mirror.Fraction is not null)
        {
            problems.Add($"{field}: percent and fraction cannot both be set");
        }

        if (mirror.Percent is { } percent)
        {
            if (percent is < 0 or > 100)
            {
                problems.Add($"{field}.percent: {percent} is not from 0 to 100");
            }

            return (percent, 100);
        }

        if (mirror.Fraction is { } fraction)
        {
            var denominator = fraction.Denominator ?? 100;
            if (fraction.Numerator < 0 || denominator < 1 || fraction.Numerator > denominator)
            {
                problems.Add($"{field}.fraction: {fraction.Numerator}/{denominator} is not a fraction from 0 to 1");
            }

            return (fraction.Numerator, Math.Max(1, denominator));
        }

        return (100, 100);
    }

    private static HeaderEdits Edits(HttpHeaderFilter edits, string field, List<string> problems)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var set = (edits.Set ?? []).Where(h => h?.Name is not null && h.Value is not null).ToList();
        var add = (edits.Add ?? []).Where(h => h?.Name is not null && h.Value is not null).ToList();
        var remove = (edits.Remove ?? []).Where(n => n is not null).ToList();
        if (set.Count != (edits.Set?.Count ?? 0) || add.Count != (edits.Add?.Count ?? 0) || remove.Count != (edits.Remove?.Count ?? 0))
        {
            problems.Add($"{field}: every header needs a name (and set/add a value)");
        }

        foreach (var name in set.Select(h => h.Name).Concat(add.Select(h => h.Name)).Concat(remove))
        {
            if (!names.Add(name))
            {
                problems.Add($"{field}: header {name} is named more than once");
            }
            else if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 0x7f || c == ':'))
            {
                problems.Add($"{field}: '{name}' is not a header name");
            }
        }

        return new HeaderEdits([.. set.Select(h => KeyValuePair.Create(h.Name, h.Value))], [.. add.Select(h => KeyValuePair.Create(h.Name, h.Value))], [.. remove]);
    }

    private static RouteRedirect Redirect(HttpRequestRedirectFilter redirect, string field, List<string> problems)
    {
        var status = redirect.StatusCode ?? 302;
        if (!RedirectCodes.Contains(status))
        {
            problems.Add($"{field}.statusCode: {status} is not 301, 302, 303, 307 or 308");
        }

        if (redirect.Scheme is { } scheme && scheme is not ("http" or "https"))
        {
            problems.Add($"{field}.scheme: '{scheme}' is not http or https");
        }

        if (redirect.Port is { } port && port is < 1 or > 65535)
        {
            problems.Add($"{field}.port: {port} is not a port");
        }

        return new RouteRedirect(redirect.Scheme, redirect.Hostname, redirect.Port, Path(redirect.Path, $"{field}.path", problems), status);
    }

    private static PathModifier? Path(HttpPathModifier? path, string field, List<string> problems)
    {
        switch (path?.Type)
        {
            case null:
                return null;
            case "ReplaceFullPath" when path.ReplaceFullPath is { } full && full.StartsWith('/'):
                return new PathModifier(true, full);
            case "ReplacePrefixMatch" when path.ReplacePrefixMatch is { } prefix && (prefix.Length == 0 || prefix.StartsWith('/')):
                return new PathModifier(false, prefix);
            default:
                problems.Add($"{field}: type {path.Type} needs a path starting with / in its matching field");
                return null;
        }
    }
}
