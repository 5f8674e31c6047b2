using System.Text.RegularExpressions;
using OneHop.Core.Configuration;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// GRPCRoutes → routes: a gRPC call is an HTTP/2 POST to <c>/service/method</c>, so a method match becomes a path match
/// (Exact service and method: that exact path; a service alone: the <c>/service/</c> prefix; a method alone or
/// RegularExpression: a whole-path expression), beside the header matches, the header modifier filters and weighted
/// backends, spoken to over h2c unless the Service port says otherwise. Attachment, status and ranking are HTTPRoute's
/// (<see cref="GatewayRoutes"/>), every GRPCRoute after every HTTPRoute: the spec forbids merging the two kinds. An HTTP
/// listener's port takes gRPC clients as HTTP/2 with prior knowledge (h2c) beside HTTP/1.1.
/// </summary>
internal sealed class GrpcRouteTranslator(GatewayRoutes routes)
{
    private const string AnyName = "[^/]+";

    public void Translate()
    {
        var ordered = routes.State.GrpcRoutes.OrderBy(p => p.Value.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(p => p.Key).ToList();
        var first = routes.State.HttpRoutes.Count + 1;
        for (var n = 0; n < ordered.Count; n++)
        {
            var (key, route) = ordered[n];
            var reference = new ObjectRef(KubeKinds.GrpcRoute, key);
            var origin = routes.State.OriginOf(reference);
            var rank = (first + n) * GatewayRoutes.RankStride;
            TranslationGuard.Run(() => Translate(reference, origin, route, rank), () => false, routes.Diagnostics, reference, origin);
        }
    }

    private bool Translate(ObjectRef reference, ObjectOrigin origin, GrpcRoute route, int rank)
    {
        var spec = route.Spec ?? new GrpcRouteSpec();
        if (routes.IsOurs(reference, spec.ParentRefs))
        {
            var rules = CompileRules(reference, origin, spec, out var resolved);
            routes.Serve(reference, origin, route.Metadata?.Generation, spec.ParentRefs, spec.Hostnames, rules, resolved, rank);
        }

        return true;
    }

    private List<CompiledRouteRule> CompileRules(ObjectRef reference, ObjectOrigin origin, GrpcRouteSpec route, out GatewayCondition resolved)
    {
        var compiled = new List<CompiledRouteRule>();
        var unresolved = new List<(string Reason, string Message)>();
        var rules = route.Rules ?? [];
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r] ?? new GrpcRouteRule();
            var field = $"spec.rules[{r}]";
            var problems = new List<string>();
            var matches = CompileMatches(rule, field, problems);
            var filters = rule.Filters ?? [];
            for (var f = 0; f < filters.Count; f++)
            {
                if (filters[f]?.Type is "RequestRedirect" or "URLRewrite" or "CORS")
                {
                    problems.Add($"{field}.filters[{f}]: {filters[f]!.Type} is not a GRPCRoute filter");
                }
                else if (filters[f]?.Type is "RequestMirror")
                {
                    problems.Add($"{field}.filters[{f}]: RequestMirror is not supported on GRPCRoutes (every gRPC call has a body, and OneHop mirrors only bodiless requests)");
                }
            }

            var compiledFilters = problems.Count == 0 ? HttpRouteFilters.Compile(filters, $"{field}.filters", problems) : null;
            var splits = routes.CompileBackends(reference, rule.BackendRefs, field, unresolved, BackendProtocol.H2c);
            if (!routes.Refused(reference, origin, field, problems))
            {
                compiled.Add(new CompiledRouteRule(r, matches, compiledFilters, splits, null));
            }
        }

        resolved = routes.Resolved(reference, origin, unresolved);
        return compiled;
    }

    private static List<CompiledRouteMatch> CompileMatches(GrpcRouteRule rule, string field, List<string> problems)
    {
        var matches = new List<CompiledRouteMatch>();
        var all = rule.Matches is { Count: > 0 } m ? m : [new GrpcRouteMatch()];
        for (var i = 0; i < all.Count; i++)
        {
            var match = all[i] ?? new GrpcRouteMatch();
            var at = $"{field}.matches[{i}]";
            var headers = GatewayRoutes.Values(match.Headers, $"{at}.headers", problems, StringComparer.OrdinalIgnoreCase);
            if (Path(match.Method, $"{at}.method", problems) is not var (path, pathType, regex))
            {
                continue;
            }

            var conditions = headers.IsEmpty && regex is null ? null : new RouteConditions(null, headers, [], regex);
            matches.Add(new CompiledRouteMatch(i, path, pathType, conditions));
        }

        return matches;
    }

    /// <summary>The path match of a method match: a path and its type, or a whole-path expression; null when it is invalid.</summary>
    private static (string Path, PathMatchType Type, string? Regex)? Path(GrpcMethodMatch? method, string field, List<string> problems)
    {
        if (method is null)
        {
            return ("/", PathMatchType.Prefix, null);
        }

        var service = string.IsNullOrEmpty(method.Service) ? null : method.Service;
        var name = string.IsNullOrEmpty(method.Method) ? null : method.Method;
        if (service is null && name is null)
        {
            problems.Add($"{field}: needs a service, a method or both");
            return null;
        }

        switch (method.Type ?? "Exact")
        {
            case "Exact":
                if ((service ?? string.Empty).Contains('/', StringComparison.Ordinal) || (name ?? string.Empty).Contains('/', StringComparison.Ordinal))
                {
                    problems.Add($"{field}: an Exact service or method cannot contain /");
                    return null;
                }

                return (service, name) switch
                {
                    ({ } s, { } n) => ($"/{s}/{n}", PathMatchType.Exact, null),
                    ({ } s, null) => ($"/{s}", PathMatchType.Prefix, null),
                    _ => ("/", PathMatchType.Prefix, $"/{AnyName}/{Regex.Escape(name!)}"),
                };
            case "RegularExpression":
                foreach (var (part, value) in new[] { ("service", service), ("method", name) })
                {
                    if (value is not null && ValueMatch.FullMatch(value, out var bad) is null)
                    {
                        problems.Add($"{field}.{part}: {bad}");
                        return null;
                    }
                }

                return ("/", PathMatchType.Prefix, $"/(?:{service ?? AnyName})/(?:{name ?? AnyName})");
            default:
                problems.Add($"{field}.type: '{method.Type}' is not Exact or RegularExpression");
                return null;
        }
    }
}
