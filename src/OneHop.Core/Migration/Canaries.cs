using System.Text.RegularExpressions;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Migration;

/// <summary>
/// A <c>canary: "true"</c> Ingress merged into the route of the main Ingress with the same host and path: its weight
/// as weighted backendRefs of the main rule, its header (and cookie) decisions as rules with a header match, which
/// Gateway API ranks before the rule without one, as ingress-nginx decides by header first, then cookie, then weight.
/// </summary>
internal static class Canaries
{
    public static void Merge(
        MigrationIngress canary,
        ObjectKey gateway,
        Dictionary<(ObjectKey Gateway, string Host, string Path), (HttpRoute Route, HttpRouteRule Rule, RouteDraft Draft)> byPath,
        ReferenceGrantSet grants,
        List<MigrationNote> notes)
    {
        var settings = canary.Settings.Canary!;
        var writer = new RouteRuleWriter(canary, regexHost: false, notes);
        foreach (var path in canary.Paths)
        {
            if (!byPath.TryGetValue((gateway, path.Host, path.Path), out var target))
            {
                writer.Note("canary", MigrationNoteKind.NotMapped, $"no main Ingress serves host '{path.Host}' path {path.Path} here: nothing to share");
                continue;
            }

            var (route, rule, draft) = target;
            var main = rule.BackendRefs![0];
            if (rule.BackendRefs.Count > 1 || route.Spec.Rules!.Any(r => r != rule && r.Matches?.FirstOrDefault()?.Path?.Value == path.Path && r.Matches[0].Headers is not null))
            {
                writer.Note("canary", MigrationNoteKind.NotMapped, $"the route {route.Metadata.Name} already has a canary for path {path.Path}: ingress-nginx uses one");
                continue;
            }

            var backend = path.Backend;
            if (canary.Key.Namespace != route.Metadata.NamespaceProperty)
            {
                backend = new BackendReference { Name = backend.Name, Port = backend.Port, Namespace = canary.Key.Namespace };
                grants.Add(canary.Key.Namespace, "HTTPRoute", route.Metadata.NamespaceProperty, "Service", backend.Name);
            }

            draft.Sources.Add(canary.Key);
            var decisions = new List<HttpRouteRule>();
            if (settings.Header is { } header)
            {
                if (settings.HeaderValue is { } value)
                {
                    decisions.Add(Decision(rule, Exact(header, value), backend));
                }
                else if (settings.HeaderPattern is { } pattern)
                {
                    decisions.Add(Decision(rule, new HttpValueMatch { Type = "RegularExpression", Name = header, Value = pattern }, backend));
                    writer.Note("canary-by-header-pattern", MigrationNoteKind.Difference, "a RegularExpression header match, which OneHop (as most implementations) matches against the whole value where nginx searches");
                }
                else
                {
                    decisions.Add(Decision(rule, Exact(header, "always"), backend));
                    decisions.Add(Decision(rule, Exact(header, "never"), main));
                }
            }

            if (settings.Cookie is { } cookie)
            {
                decisions.Add(Decision(rule, Cookie(cookie, "always"), backend));
                decisions.Add(Decision(rule, Cookie(cookie, "never"), main));
                writer.Note("canary-by-cookie", MigrationNoteKind.Difference, "Gateway API has no cookie match: a RegularExpression match on the Cookie header, after the canary-by-header rules as ingress-nginx checks the header first");
            }

            var rules = route.Spec.Rules!;
            var at = rules.IndexOf(rule) + 1;
            foreach (var decision in decisions)
            {
                rules.Insert(at++, decision);
            }

            if (settings.Weight > 0)
            {
                rule.BackendRefs = [With(main, settings.WeightTotal - settings.Weight), With(backend, settings.Weight)];
            }
        }
    }

    private static HttpValueMatch Exact(string name, string value) => new() { Type = "Exact", Name = name, Value = value };

    /// <summary>The Cookie header holds <paramref name="name"/>=<paramref name="value"/> among its pairs.</summary>
    private static HttpValueMatch Cookie(string name, string value) =>
        new() { Type = "RegularExpression", Name = "Cookie", Value = $"(.*;[ ]*)?{Regex.Escape(name)}={value}(;.*)?" };

    private static HttpRouteRule Decision(HttpRouteRule rule, HttpValueMatch match, BackendReference backend) => new()
    {
        Matches = [.. rule.Matches!.Select(m => new HttpRouteMatch { Path = m.Path, Method = m.Method, QueryParams = m.QueryParams, Headers = [.. m.Headers ?? [], match] })],
        Filters = rule.Filters,
        BackendRefs = [backend],
        Timeouts = rule.Timeouts,
    };

    private static BackendReference With(BackendReference backend, int weight) =>
        new() { Name = backend.Name, Namespace = backend.Namespace, Port = backend.Port, Weight = weight };
}
