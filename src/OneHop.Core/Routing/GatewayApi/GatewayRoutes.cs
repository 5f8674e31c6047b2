using System.Collections.Immutable;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// What HTTPRoutes and GRPCRoutes share, as Gateway API specifies it for both: a route attaches to each listener of
/// OneHop's Gateways its parentRefs name (sectionName, port) when the listener allows its namespace and kind and their
/// hostnames intersect; each compiled rule's matches become routes on those listeners' ports and hosts. Every finding
/// lands in the route's parent status and, when it is an error, in the diagnostics.
/// </summary>
internal sealed class GatewayRoutes(ClusterState state, GatewayListeners listeners, ServiceBackendResolver services, List<Diagnostic> diagnostics)
{
    /// <summary>The rank distance between two routes: room for every rule and match of one route in between.</summary>
    public const int RankStride = 1 << 20;

    private readonly ReferenceGrants _grants = new(state);

    public ClusterState State => state;

    public GatewayListeners Listeners => listeners;

    public List<Diagnostic> Diagnostics => diagnostics;

    public List<Route> Routes { get; } = [];

    public Dictionary<string, Backend> Backends { get; } = new(StringComparer.Ordinal);

    public List<RouteStatusReport> Statuses { get; } = [];

    /// <summary>True when one of the route's parentRefs names a Gateway of OneHop's: otherwise another controller's route, not OneHop's to judge.</summary>
    public bool IsOurs(ObjectRef reference, IList<ParentReference>? parentRefs) =>
        (parentRefs ?? []).Any(p => ParentOf(p, reference) is not null);

    /// <summary>
    /// Attaches a route to its parents and emits its rules there. <paramref name="refuse"/> says why a listener the route
    /// could attach to cannot serve its kind after all (null when it can). <paramref name="emit"/>, when given, takes each
    /// listener and host the route attached to instead of HTTP routes being emitted (L4 routes).
    /// </summary>
    public void Serve(
        ObjectRef reference,
        ObjectOrigin origin,
        long? generation,
        IList<ParentReference>? parentRefs,
        IList<string>? hostnames,
        List<CompiledRouteRule> rules,
        GatewayCondition resolved,
        int rank,
        Func<AttachableListener, (string Reason, string Message)?>? refuse = null,
        Action<AttachableListener, string>? emit = null)
    {
        var parents = new List<RouteParentStatusReport>();
        var hosts = hostnames ?? [];
        var badHost = hosts.Select((h, i) => (Problem: h is null ? "must be a hostname" : GatewayHostnames.Validate(h), Field: $"spec.hostnames[{i}]")).FirstOrDefault(p => p.Problem is not null);
        var refs = parentRefs ?? [];
        for (var p = 0; p < refs.Count; p++)
        {
            var parent = refs[p];
            if (ParentOf(parent, reference) is not { } of)
            {
                continue;
            }

            var (gateway, set) = of;

            var conditions = new List<GatewayCondition>();
            var field = $"spec.parentRefs[{p}]";
            if (badHost.Problem is not null)
            {
                conditions.Add(Refuse("UnsupportedValue", $"{badHost.Field}: {badHost.Problem}", reference, origin, badHost.Field));
            }
            else if (Attach(reference, gateway, set, parent!, hosts, refuse, out var attached) is { } refusal)
            {
                conditions.Add(Refuse(refusal.Reason, refusal.Message, reference, origin, field));
            }
            else
            {
                conditions.Add(GatewayCondition.True("Accepted", "Accepted"));
                foreach (var (listener, served) in attached)
                {
                    listener.AttachedRoutes++;
                    listener.AttachedKinds.Add(reference.Kind);
                    foreach (var host in served)
                    {
                        listener.RouteHosts.Add(host);
                        if (emit is null)
                        {
                            Emit(reference, listener, host, rules, rank);
                        }
                        else
                        {
                            emit(listener, host);
                        }
                    }
                }
            }

            conditions.Add(resolved);
            parents.Add(new RouteParentStatusReport(gateway.Namespace, gateway.Name, parent!.SectionName, parent.Port, [.. conditions]) { ListenerSet = set });
        }

        if (parents.Count > 0)
        {
            Statuses.Add(new RouteStatusReport(reference, generation, [.. parents]));
        }
    }

    /// <summary>
    /// A rule's backendRefs → weighted backends; <paramref name="preferred"/> is the protocol to pods whose Service port
    /// declares none. L4 routes give their <paramref name="transport"/> and keep their backends apart (<paramref name="into"/>).
    /// </summary>
    public ImmutableArray<RouteBackend> CompileBackends(ObjectRef reference, IList<BackendReference>? refs, string field, List<(string Reason, string Message)> unresolved, BackendProtocol? preferred = null, string? transport = null, Dictionary<string, Backend>? into = null)
    {
        var splits = ImmutableArray.CreateBuilder<RouteBackend>();
        for (var b = 0; b < (refs?.Count ?? 0); b++)
        {
            var backendRef = refs![b] ?? new BackendReference();
            var weight = backendRef.Weight ?? 1;
            var (backend, problem) = GatewayBackends.Resolve(backendRef, reference, $"{field}.backendRefs[{b}]", services, _grants, into ?? Backends, unresolved, preferred, transport);
            RouteFilters? filters = null;
            if (backendRef.Filters is { Count: > 0 } asked)
            {
                filters = BackendRefFilters.Compile(reference.Kind, asked, $"{field}.backendRefs[{b}]", out var why);
                if (why is not null)
                {
                    // Serving the backend without the filter its author set could send it requests it was never meant to see.
                    problem ??= why;
                    unresolved.Add(("UnsupportedValue", why));
                    backend = null;
                }
            }

            splits.Add(new RouteBackend(backend?.Id, Math.Max(0, weight), problem) { Filters = filters });
        }

        // No backendRefs (and no redirect): the rule answers 500, as the spec says.
        return splits.Count == 0 ? [new RouteBackend(null, 1, "the rule has no backendRefs")] : splits.ToImmutable();
    }

    /// <summary>The route's ResolvedRefs condition from its unresolved backends, each also reported as an error.</summary>
    public GatewayCondition Resolved(ObjectRef reference, ObjectOrigin origin, List<(string Reason, string Message)> unresolved, string consequence = "its share of requests is answered 500")
    {
        foreach (var (reason, message) in unresolved)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnresolvedBackend, $"{message} ({reason}); {consequence}", reference, origin));
        }

        return unresolved.Count == 0
            ? GatewayCondition.True("ResolvedRefs", "ResolvedRefs")
            : GatewayCondition.False("ResolvedRefs", unresolved[0].Reason, string.Join("; ", unresolved.Select(u => u.Message)));
    }

    /// <summary>Reports a rule's problems: an invalid rule is left out whole, as serving half of it could send requests where its author never meant.</summary>
    public bool Refused(ObjectRef reference, ObjectOrigin origin, string field, List<string> problems)
    {
        foreach (var problem in problems)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidRoute, $"{problem}; this rule is not served", reference, origin, field));
        }

        return problems.Count > 0;
    }

    /// <summary>Header or query matches; of several with the same name only the first counts, as the spec says.</summary>
    public static ImmutableArray<ValueMatch> Values(IList<HttpValueMatch>? values, string field, List<string> problems, StringComparer names)
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

    /// <summary>The listeners the parentRef attaches to, with the hosts served on each; or why it attaches to none.</summary>
    private (string Reason, string Message)? Attach(
        ObjectRef route,
        ObjectKey gateway,
        ObjectRef? set,
        ParentReference parent,
        IList<string> hostnames,
        Func<AttachableListener, (string Reason, string Message)?>? refuse,
        out List<(AttachableListener Listener, IReadOnlyList<string> Hosts)> attached)
    {
        attached = [];
        // A parentRef to the Gateway reaches its own listeners, one to a ListenerSet that set's alone.
        var candidates = listeners.Of(gateway).Where(l => l.Set == set && (parent.SectionName is null || l.Name == parent.SectionName) && (parent.Port is null || l.Port == parent.Port)).ToList();
        var owner = set is null ? $"Gateway {gateway}" : $"ListenerSet {set.Key}";
        if (candidates.Count == 0)
        {
            return ("NoMatchingParent", $"{owner} has no valid listener{(parent.SectionName is null ? string.Empty : $" named {parent.SectionName}")}{(parent.Port is null ? string.Empty : $" on port {parent.Port}")}");
        }

        var allowed = candidates.Where(l => l.Kinds.Contains(route.Kind) && AllowsNamespace(l, route.Namespace)).ToList();
        if (allowed.Count == 0)
        {
            return ("NotAllowedByListeners", $"no listener of {owner} allows {route.Kind}s from namespace {route.Namespace}");
        }

        (string Reason, string Message)? refused = null;
        foreach (var listener in allowed)
        {
            var hosts = GatewayHostnames.Intersect(listener.Hostname, [.. hostnames]);
            if (hosts.Count == 0)
            {
                continue;
            }

            if (refuse?.Invoke(listener) is { } why)
            {
                refused ??= why;
                continue;
            }

            attached.Add((listener, hosts));
        }

        return attached.Count > 0 ? null : refused ?? ("NoMatchingListenerHostname", $"none of the route's hostnames is served by a listener of {owner}");
    }

    private bool AllowsNamespace(AttachableListener listener, string routeNamespace) => listener.AllowedFrom switch
    {
        "All" => true,
        "Selector" => NamespaceSelector.Selects(listener.Selector, state, routeNamespace),
        // Same: a ListenerSet's listener takes routes of the ListenerSet's namespace, not of its Gateway's.
        _ => routeNamespace == (listener.Set ?? listener.Gateway).Namespace,
    };

    private void Emit(ObjectRef reference, AttachableListener listener, string host, List<CompiledRouteRule> rules, int rank)
    {
        // A Gateway with addresses of its own gets its routes on each of them alone; one without, on every address.
        string?[] addresses = listener.Addresses.IsEmpty ? [null] : [.. listener.Addresses];
        if (listener.BackendCertificate is { } certificate)
        {
            // A mirrored copy presents the certificate the request itself does: a TLS pod that requires one refuses it otherwise.
            rules = [.. rules.Select(r => r with
            {
                Splits = [.. r.Splits.Select(split => WithCertificate(split, certificate, listener.Gateway))],
                Filters = r.Filters is { Mirrors: { } mirrors } filters ? filters with { Mirrors = [.. mirrors.Select(m => WithCertificate(m, certificate, listener.Gateway))] } : r.Filters,
            })];
        }

        foreach (var (rule, match, address) in rules.SelectMany(r => r.Matches.SelectMany(m => addresses.Select(a => (r, m, a)))))
        {
            var at = address is null ? string.Empty : address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:" : $"{address}:";
            var id = $"{reference.Kind.ToLowerInvariant()}/{reference.Key}/{rule.Index}/{match.Index}/{(host.Length == 0 ? "_" : host)}@{at}{listener.Port}";
            Routes.Add(new Route(id, host, match.Path, match.PathType, rule.BackendId, $"{reference} spec.rules[{rule.Index}].matches[{match.Index}]", rule.Timeout)
            {
                BackendTimeout = rule.BackendTimeout,
                Retry = rule.Retry,
                Port = listener.Port,
                Address = address,
                SuffixWildcard = true,
                ListenerHost = listener.Hostname ?? string.Empty,
                Conditions = match.Conditions,
                Filters = rule.Filters,
                Splits = rule.BackendId.Length > 0 ? [] : rule.Splits,
                Rank = rank + (rule.Index * 64) + match.Index,
            });
        }
    }

    /// <summary>A split to a TLS backend goes to its copy that presents the Gateway's client certificate (<see cref="BackendClientCertificate"/>).</summary>
    private RouteBackend WithCertificate(RouteBackend split, BackendClientCertificate certificate, ObjectRef gateway) =>
        split.BackendId is { } id && Certified(id, certificate, gateway) is { } copy ? split with { BackendId = copy } : split;

    /// <summary>A mirror to a TLS backend copies to that backend's copy with the Gateway's client certificate, as a split does.</summary>
    private RouteMirror WithCertificate(RouteMirror mirror, BackendClientCertificate certificate, ObjectRef gateway) =>
        Certified(mirror.BackendId, certificate, gateway) is { } copy ? mirror with { BackendId = copy } : mirror;

    /// <summary>The id of the backend's copy that presents the certificate, added to the backends; null for a plain backend.</summary>
    private string? Certified(string id, BackendClientCertificate certificate, ObjectRef gateway)
    {
        if (!Backends.TryGetValue(id, out var backend))
        {
            return null;
        }

        var copy = certificate.For(backend, gateway);
        if (ReferenceEquals(copy, backend))
        {
            return null;
        }

        Backends[copy.Id] = copy;
        return copy.Id;
    }

    private GatewayCondition Refuse(string reason, string message, ObjectRef reference, ObjectOrigin origin, string field)
    {
        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RouteNotAccepted, message, reference, origin, field));
        return GatewayCondition.False("Accepted", reason, message);
    }

    /// <summary>
    /// The Gateway of OneHop's a parentRef reaches, with the ListenerSet it names (null when it names the Gateway); null
    /// for a parent of another controller's, or of a kind OneHop does not serve.
    /// </summary>
    private (ObjectKey Gateway, ObjectRef? Set)? ParentOf(ParentReference? parent, ObjectRef route)
    {
        if (parent is null || (parent.Group ?? GatewayApiNames.Group) != GatewayApiNames.Group)
        {
            return null;
        }

        var key = new ObjectKey(parent.Namespace ?? route.Namespace, parent.Name ?? string.Empty);
        return (parent.Kind ?? KubeKinds.Gateway) switch
        {
            KubeKinds.Gateway when listeners.IsOurs(key) => (key, null),
            KubeKinds.ListenerSet when listeners.GatewayOfSet(key) is { } gateway => (gateway, new ObjectRef(KubeKinds.ListenerSet, key)),
            _ => null,
        };
    }
}
