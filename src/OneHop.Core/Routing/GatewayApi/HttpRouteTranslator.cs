using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// HTTPRoutes → routes, as Gateway API specifies: each route attaches to the listeners of OneHop's Gateways its
/// parentRefs name (sectionName, port) when the listener allows its namespace and kind and their hostnames
/// intersect; each rule's matches become routes on those listeners' ports and hosts, with their filters and weighted
/// backends. Routes are ranked oldest first, then by namespace/name, then by rule and match order: the spec's
/// tie-break after path, method, header and query precedence. Every finding lands in the route's parent status and,
/// when it is an error, in the diagnostics; a broken rule never disturbs the other rules or routes.
/// </summary>
internal sealed class HttpRouteTranslator(ClusterState state, GatewayListeners listeners, ServiceBackendResolver services, List<Diagnostic> diagnostics)
{
    private const int RankStride = 1 << 20;
    private readonly ReferenceGrants _grants = new(state);

    public List<Route> Routes { get; } = [];

    public Dictionary<string, Backend> Backends { get; } = new(StringComparer.Ordinal);

    public List<RouteStatusReport> Statuses { get; } = [];

    public void Translate()
    {
        var ordered = state.HttpRoutes.OrderBy(p => p.Value.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(p => p.Key).ToList();
        for (var n = 0; n < ordered.Count; n++)
        {
            var (key, route) = ordered[n];
            var reference = new ObjectRef(KubeKinds.HttpRoute, key);
            var origin = state.OriginOf(reference);
            TranslationGuard.Run(() => Translate(reference, origin, route, (n + 1) * RankStride), () => false, diagnostics, reference, origin);
        }
    }

    private bool Translate(ObjectRef reference, ObjectOrigin origin, HttpRoute route, int rank)
    {
        var parents = new List<RouteParentStatusReport>();
        var spec = route.Spec ?? new HttpRouteSpec();
        var hostnames = spec.Hostnames ?? [];
        var badHost = hostnames.Select((h, i) => (Problem: h is null ? "must be a hostname" : GatewayHostnames.Validate(h), Field: $"spec.hostnames[{i}]")).FirstOrDefault(p => p.Problem is not null);
        var parentRefs = spec.ParentRefs ?? [];
        if (!parentRefs.Any(p => IsGateway(p) && listeners.IsOurs(GatewayOf(p, reference))))
        {
            // Another controller's route: not OneHop's to judge or report on.
            return true;
        }

        var rules = CompileRules(reference, origin, spec, out var resolved);
        for (var p = 0; p < parentRefs.Count; p++)
        {
            var parent = parentRefs[p];
            if (!IsGateway(parent))
            {
                continue;
            }

            var gateway = GatewayOf(parent, reference);
            if (!listeners.IsOurs(gateway))
            {
                continue;
            }

            var conditions = new List<GatewayCondition>();
            var field = $"spec.parentRefs[{p}]";
            if (badHost.Problem is not null)
            {
                conditions.Add(Refuse("UnsupportedValue", $"{badHost.Field}: {badHost.Problem}", reference, origin, badHost.Field));
            }
            else if (Attach(reference, gateway, parent, hostnames, out var attached) is { } refusal)
            {
                conditions.Add(Refuse(refusal.Reason, refusal.Message, reference, origin, field));
            }
            else
            {
                conditions.Add(GatewayCondition.True("Accepted", "Accepted"));
                foreach (var (listener, hosts) in attached)
                {
                    listener.AttachedRoutes++;
                    foreach (var host in hosts)
                    {
                        listener.RouteHosts.Add(host);
                        Emit(reference, listener, host, rules, rank);
                    }
                }
            }

            conditions.Add(resolved);
            parents.Add(new RouteParentStatusReport(gateway.Namespace, gateway.Name, parent!.SectionName, parent.Port, [.. conditions]));
        }

        if (parents.Count > 0)
        {
            Statuses.Add(new RouteStatusReport(reference, route.Metadata?.Generation, [.. parents]));
        }

        return true;
    }

    /// <summary>The listeners the parentRef attaches to, with the hosts served on each; or why it attaches to none.</summary>
    private (string Reason, string Message)? Attach(ObjectRef route, ObjectKey gateway, ParentReference parent, IList<string> hostnames, out List<(AttachableListener Listener, IReadOnlyList<string> Hosts)> attached)
    {
        attached = [];
        var candidates = listeners.Of(gateway).Where(l => (parent.SectionName is null || l.Name == parent.SectionName) && (parent.Port is null || l.Port == parent.Port)).ToList();
        if (candidates.Count == 0)
        {
            return ("NoMatchingParent", $"Gateway {gateway} has no valid listener{(parent.SectionName is null ? string.Empty : $" named {parent.SectionName}")}{(parent.Port is null ? string.Empty : $" on port {parent.Port}")}");
        }

        var allowed = candidates.Where(l => l.Kinds.Contains(KubeKinds.HttpRoute) && AllowsNamespace(l, route.Namespace)).ToList();
        if (allowed.Count == 0)
        {
            return ("NotAllowedByListeners", $"no listener of Gateway {gateway} allows HTTPRoutes from namespace {route.Namespace}");
        }

        foreach (var listener in allowed)
        {
            var hosts = GatewayHostnames.Intersect(listener.Hostname, [.. hostnames]);
            if (hosts.Count > 0)
            {
                attached.Add((listener, hosts));
            }
        }

        return attached.Count == 0 ? ("NoMatchingListenerHostname", $"none of the route's hostnames is served by a listener of Gateway {gateway}") : null;
    }

    private bool AllowsNamespace(AttachableListener listener, string routeNamespace) => listener.AllowedFrom switch
    {
        "All" => true,
        "Selector" => NamespaceSelector.Selects(listener.Selector, state, routeNamespace),
        _ => routeNamespace == listener.Gateway.Namespace,
    };

    private void Emit(ObjectRef reference, AttachableListener listener, string host, List<CompiledRule> rules, int rank)
    {
        foreach (var rule in rules)
        {
            foreach (var match in rule.Matches)
            {
                var id = $"httproute/{reference.Key}/{rule.Index}/{match.Index}/{(host.Length == 0 ? "_" : host)}@{listener.Port}";
                Routes.Add(new Route(id, host, match.Path, match.PathType, rule.BackendId, $"{reference} spec.rules[{rule.Index}].matches[{match.Index}]", rule.Timeout)
                {
                    Port = listener.Port,
                    SuffixWildcard = true,
                    ListenerHost = listener.Hostname ?? string.Empty,
                    Conditions = match.Conditions,
                    Filters = rule.Filters,
                    Splits = rule.BackendId.Length > 0 ? [] : rule.Splits,
                    Rank = rank + (rule.Index * 64) + match.Index,
                });
            }
        }
    }

    private List<CompiledRule> CompileRules(ObjectRef reference, ObjectOrigin origin, HttpRouteSpec route, out GatewayCondition resolved)
    {
        var compiled = new List<CompiledRule>();
        var unresolved = new List<(string Reason, string Message)>();
        var rules = route.Rules ?? [];
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r] ?? new HttpRouteRule();
            var field = $"spec.rules[{r}]";
            var problems = new List<string>();
            var matches = CompileMatches(rule, field, problems);
            var filters = HttpRouteFilters.Compile(rule.Filters, $"{field}.filters", problems);
            var splits = CompileBackends(reference, rule, field, unresolved);
            TimeSpan? timeout = null;
            if (rule.Timeouts?.Request is { } request)
            {
                if (!GatewayDuration.TryParse(request, out var t))
                {
                    problems.Add($"{field}.timeouts.request: '{request}' is not a Gateway API duration (e.g. 10s, 1m30s, 500ms)");
                }
                else if (t > TimeSpan.Zero)
                {
                    timeout = t;
                }
            }

            if (rule.Timeouts?.BackendRequest is not null)
            {
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnsupportedFeature, "timeouts.backendRequest is not honoured yet (timeouts.request is)", reference, origin, $"{field}.timeouts.backendRequest"));
            }

            if (problems.Count > 0)
            {
                // An invalid rule is left out whole: serving half of it could send requests where its author never meant.
                foreach (var problem in problems)
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidRoute, $"{problem}; this rule is not served", reference, origin, field));
                }

                continue;
            }

            compiled.Add(new CompiledRule(r, matches, filters, splits, timeout));
        }

        foreach (var (reason, message) in unresolved)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnresolvedBackend, $"{message} ({reason}); its share of requests is answered 500", reference, origin));
        }

        resolved = unresolved.Count == 0
            ? GatewayCondition.True("ResolvedRefs", "ResolvedRefs")
            : GatewayCondition.False("ResolvedRefs", unresolved[0].Reason, string.Join("; ", unresolved.Select(u => u.Message)));
        return compiled;
    }

    private static List<CompiledMatch> CompileMatches(HttpRouteRule rule, string field, List<string> problems)
    {
        var matches = new List<CompiledMatch>();
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

            var headers = Values(match.Headers, $"{at}.headers", problems, StringComparer.OrdinalIgnoreCase);
            var query = Values(match.QueryParams, $"{at}.queryParams", problems, StringComparer.Ordinal);
            if (match.Method is { } method && !IsToken(method))
            {
                problems.Add($"{at}.method: '{method}' is not an HTTP method");
                continue;
            }

            var conditions = match.Method is null && headers.IsEmpty && query.IsEmpty && regex is null ? null : new RouteConditions(match.Method, headers, query, regex);
            matches.Add(new CompiledMatch(i, value, pathType, conditions));
        }

        return matches;
    }

    /// <summary>Header or query matches; of several with the same name only the first counts, as the spec says.</summary>
    private static ImmutableArray<ValueMatch> Values(IList<HttpValueMatch>? values, string field, List<string> problems, StringComparer names)
    {
        var result = ImmutableArray.CreateBuilder<ValueMatch>();
        var seen = new HashSet<string>(names);
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            var value = values![i];
            if (value?.Name is null || value.Value is null)
            {
                problems.Add($"{field}[{i}]: needs a name and a value");
                continue;
            }

            if (!seen.Add(value.Name))
            {
                continue;
            }

            switch (value.Type ?? "Exact")
            {
                case "Exact":
                    result.Add(ValueMatch.Exact(value.Name, value.Value));
                    break;
                case "RegularExpression":
                    if (ValueMatch.Regex(value.Name, value.Value, out var problem) is { } regex)
                    {
                        result.Add(regex);
                    }
                    else
                    {
                        problems.Add($"{field}[{i}].value: {problem}");
                    }

                    break;
                default:
                    problems.Add($"{field}[{i}].type: '{value.Type}' is not Exact or RegularExpression");
                    break;
            }
        }

        return result.ToImmutable();
    }

    private ImmutableArray<RouteBackend> CompileBackends(ObjectRef reference, HttpRouteRule rule, string field, List<(string Reason, string Message)> unresolved)
    {
        var splits = ImmutableArray.CreateBuilder<RouteBackend>();
        var refs = rule.BackendRefs ?? [];
        for (var b = 0; b < refs.Count; b++)
        {
            var backendRef = refs[b] ?? new BackendReference();
            var weight = backendRef.Weight ?? 1;
            var (backend, problem) = GatewayBackends.Resolve(backendRef, reference, $"{field}.backendRefs[{b}]", services, _grants, Backends, unresolved);
            if (backendRef.Filters is { Count: > 0 })
            {
                problem ??= "backendRefs[].filters are not supported by OneHop yet";
                unresolved.Add(("UnsupportedValue", $"{field}.backendRefs[{b}].filters: not supported yet"));
                backend = null;
            }

            splits.Add(new RouteBackend(backend?.Id, Math.Max(0, weight), problem));
        }

        // No backendRefs (and no redirect): the rule answers 500, as the spec says.
        return splits.Count == 0 ? [new RouteBackend(null, 1, "the rule has no backendRefs")] : splits.ToImmutable();
    }

    private GatewayCondition Refuse(string reason, string message, ObjectRef reference, ObjectOrigin origin, string field)
    {
        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RouteNotAccepted, message, reference, origin, field));
        return GatewayCondition.False("Accepted", reason, message);
    }

    private static ObjectKey GatewayOf(ParentReference parent, ObjectRef route) => new(parent.Namespace ?? route.Namespace, parent.Name ?? string.Empty);

    private static bool IsGateway([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] ParentReference? parent) =>
        parent is not null && (parent.Group ?? GatewayApiNames.Group) == GatewayApiNames.Group && (parent.Kind ?? KubeKinds.Gateway) == KubeKinds.Gateway;

    private static bool IsToken(string method) => method.Length > 0 && method.All(c => char.IsAsciiLetterUpper(c));

    private sealed record CompiledMatch(int Index, string Path, PathMatchType PathType, RouteConditions? Conditions);

    private sealed record CompiledRule(int Index, List<CompiledMatch> Matches, RouteFilters? Filters, ImmutableArray<RouteBackend> Splits, TimeSpan? Timeout)
    {
        /// <summary>The single backend when the rule has exactly one resolved backend with weight; else empty (splits decide).</summary>
        public string BackendId => Splits is [{ BackendId: { } id, Weight: > 0 }] ? id : string.Empty;
    }
}
