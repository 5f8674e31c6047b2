using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// HTTPRoutes → routes, as Gateway API specifies: each rule's matches (path, headers, query, method) with its filters,
/// timeout and weighted backends, served on the listeners the route attaches to (<see cref="GatewayRoutes"/>). Routes
/// are ranked oldest first, then by namespace/name, then by rule and match order: the spec's tie-break after path,
/// method, header and query precedence. A broken rule never disturbs the other rules or routes.
/// </summary>
internal sealed class HttpRouteTranslator(GatewayRoutes routes)
{
    public void Translate()
    {
        var ordered = routes.State.HttpRoutes.OrderBy(p => p.Value.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(p => p.Key).ToList();
        for (var n = 0; n < ordered.Count; n++)
        {
            var (key, route) = ordered[n];
            var reference = new ObjectRef(KubeKinds.HttpRoute, key);
            var origin = routes.State.OriginOf(reference);
            var rank = (n + 1) * GatewayRoutes.RankStride;
            TranslationGuard.Run(() => Translate(reference, origin, route, rank), () => false, routes.Diagnostics, reference, origin);
        }
    }

    private bool Translate(ObjectRef reference, ObjectOrigin origin, HttpRoute route, int rank)
    {
        var spec = route.Spec ?? new HttpRouteSpec();
        if (routes.IsOurs(reference, spec.ParentRefs))
        {
            var rules = CompileRules(reference, origin, spec, out var resolved);
            routes.Serve(reference, origin, route.Metadata?.Generation, spec.ParentRefs, spec.Hostnames, rules, resolved, rank);
        }

        return true;
    }

    /// <summary>
    /// The rule's RequestMirror filters, each to a Service port resolved as a backendRef is (ReferenceGrants included); one
    /// that does not resolve is reported and mirrors nothing. Null when the rule has none.
    /// </summary>
    private RouteMirror[]? Mirrors(ObjectRef reference, IList<HttpRouteFilter>? filters, string field, List<(string Reason, string Message)> unresolved)
    {
        var mirrors = new List<RouteMirror>();
        for (var i = 0; i < (filters?.Count ?? 0); i++)
        {
            if (filters![i] is not { Type: "RequestMirror", RequestMirror: { } mirror })
            {
                continue;
            }

            var (numerator, denominator) = HttpRouteFilters.Share(mirror, $"{field}[{i}].requestMirror", []);
            var backend = routes.CompileBackends(reference, [mirror.BackendRef], $"{field}[{i}].requestMirror", unresolved)[0];
            if (backend.BackendId is { } id && numerator > 0)
            {
                mirrors.Add(new RouteMirror(id, numerator, denominator));
            }
        }

        return mirrors.Count == 0 && !(filters ?? []).Any(f => f?.Type == "RequestMirror") ? null : [.. mirrors];
    }

    /// <summary>A timeouts field: null when unset or 0s (no timeout), the problem when it is not a Gateway API duration.</summary>
    private static TimeSpan? Timeout(string? text, string field, List<string> problems)
    {
        if (text is null)
        {
            return null;
        }

        if (!GatewayDuration.TryParse(text, out var timeout))
        {
            problems.Add($"{field}: '{text}' is not a Gateway API duration (e.g. 10s, 1m30s, 500ms)");
            return null;
        }

        return timeout > TimeSpan.Zero ? timeout : null;
    }

    /// <summary>
    /// The rule's <c>retry</c>: codes 500–599 (the spec makes 4xx optional, and a held-back 4xx would count against the
    /// pod's health), at least one attempt, a Gateway API duration for the backoff; null when the rule has none.
    /// </summary>
    private static RouteRetry? Retry(HttpRouteRetry? retry, string field, List<string> problems)
    {
        if (retry is null)
        {
            return null;
        }

        var codes = retry.Codes ?? [];
        for (var i = 0; i < codes.Count; i++)
        {
            if (codes[i] is < 500 or > 599)
            {
                problems.Add($"{field}.codes[{i}]: {codes[i]} is not retried: OneHop retries pod answers 500-599 only");
            }
        }

        if (retry.Attempts is < 1)
        {
            problems.Add($"{field}.attempts: {retry.Attempts} must be at least 1");
        }

        var backoff = RouteRetry.DefaultBackoff;
        if (retry.Backoff is { } text && !GatewayDuration.TryParse(text, out backoff))
        {
            problems.Add($"{field}.backoff: '{text}' is not a Gateway API duration (e.g. 100ms, 1s)");
        }

        return new RouteRetry(retry.Attempts, [.. codes.Distinct().Order()], backoff);
    }

    private List<CompiledRouteRule> CompileRules(ObjectRef reference, ObjectOrigin origin, HttpRouteSpec route, out GatewayCondition resolved)
    {
        var compiled = new List<CompiledRouteRule>();
        var unresolved = new List<(string Reason, string Message)>();
        var mirrorsUnresolved = new List<(string Reason, string Message)>();
        var rules = route.Rules ?? [];
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r] ?? new HttpRouteRule();
            var field = $"spec.rules[{r}]";
            var problems = new List<string>();
            var matches = CompileMatches(rule, field, problems);
            var filters = HttpRouteFilters.Compile(rule.Filters, $"{field}.filters", problems);
            if (Mirrors(reference, rule.Filters, $"{field}.filters", mirrorsUnresolved) is { } mirrors)
            {
                filters = filters! with { Mirrors = mirrors };
            }

            var splits = routes.CompileBackends(reference, rule.BackendRefs, field, unresolved);
            PrefixAfterRewrite(filters, splits, field, problems);
            var timeout = Timeout(rule.Timeouts?.Request, $"{field}.timeouts.request", problems);
            var backendTimeout = Timeout(rule.Timeouts?.BackendRequest, $"{field}.timeouts.backendRequest", problems);
            if (timeout is { } whole && backendTimeout > whole)
            {
                problems.Add($"{field}.timeouts.backendRequest: {rule.Timeouts!.BackendRequest} is longer than timeouts.request ({rule.Timeouts.Request}), which the spec forbids");
            }

            var retry = Retry(rule.Retry, $"{field}.retry", problems);
            if (!routes.Refused(reference, origin, field, problems))
            {
                compiled.Add(new CompiledRouteRule(r, matches, filters, splits, timeout) { BackendTimeout = backendTimeout, Retry = retry });
            }
        }

        resolved = routes.Resolved(reference, origin, unresolved);
        var mirrored = routes.Resolved(reference, origin, mirrorsUnresolved, "requests are not mirrored there");
        resolved = resolved.Status ? mirrored : resolved;
        return compiled;
    }

    /// <summary>
    /// A backendRef's URLRewrite runs after the rule's; once the rule has rewritten the path, the prefix the route matched
    /// is no longer in it, so the backendRef's ReplacePrefixMatch has nothing to replace. ReplaceFullPath stays well defined.
    /// </summary>
    private static void PrefixAfterRewrite(RouteFilters? rule, ImmutableArray<RouteBackend> splits, string field, List<string> problems)
    {
        if (rule?.Rewrite?.Path is null)
        {
            return;
        }

        for (var b = 0; b < splits.Length; b++)
        {
            if (splits[b].Filters?.Rewrite?.Path is { ReplacesFullPath: false })
            {
                problems.Add($"{field}.backendRefs[{b}].filters: a URLRewrite with ReplacePrefixMatch after the rule's own path rewrite has no matched prefix left to replace; use ReplaceFullPath");
            }
        }
    }

    private static List<CompiledRouteMatch> CompileMatches(HttpRouteRule rule, string field, List<string> problems)
    {
        var matches = new List<CompiledRouteMatch>();
        var all = rule.Matches is { Count: > 0 } m ? m : [new HttpRouteMatch()];
        for (var i = 0; i < all.Count; i++)
        {
            var match = all[i] ?? new HttpRouteMatch();
            var at = $"{field}.matches[{i}]";
            var type = match.Path?.Type ?? "PathPrefix";
            var value = match.Path?.Value ?? "/";
            string? regex = null;
            PathMatchType pathType;
            switch (type)
            {
                case "Exact" or "PathPrefix":
                    if (!value.StartsWith('/'))
                    {
                        problems.Add($"{at}.path.value: '{value}' must start with /");
                        continue;
                    }

                    pathType = type == "Exact" ? PathMatchType.Exact : PathMatchType.Prefix;
                    break;
                case "RegularExpression":
                    if (ValueMatch.FullMatch(value, out var bad) is null)
                    {
                        problems.Add($"{at}.path.value: {bad}");
                        continue;
                    }

                    (regex, value, pathType) = (value, "/", PathMatchType.Prefix);
                    break;
                default:
                    problems.Add($"{at}.path.type: '{type}' is not Exact, PathPrefix or RegularExpression");
                    continue;
            }

            var headers = GatewayRoutes.Values(match.Headers, $"{at}.headers", problems, StringComparer.OrdinalIgnoreCase);
            var query = GatewayRoutes.Values(match.QueryParams, $"{at}.queryParams", problems, StringComparer.Ordinal);
            if (match.Method is { } method && !IsToken(method))
            {
                problems.Add($"{at}.method: '{method}' is not an HTTP method");
                continue;
            }

            var conditions = match.Method is null && headers.IsEmpty && query.IsEmpty && regex is null ? null : new RouteConditions(match.Method, headers, query, regex);
            matches.Add(new CompiledRouteMatch(i, value, pathType, conditions));
        }

        return matches;
    }

    private static bool IsToken(string method) => method.Length > 0 && method.All(c => char.IsAsciiLetterUpper(c));
}
