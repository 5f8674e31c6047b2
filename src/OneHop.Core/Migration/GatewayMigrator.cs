using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Migration;

/// <summary>
/// <c>onehop migrate --to gateway-api</c>: ingress-nginx Ingresses as Gateway API objects, as ingress2gateway maps
/// them, in OneHop's terms. One Gateway per IngressClass and namespace (or the one named), one HTTPRoute per Ingress
/// and host (a GRPCRoute for gRPC backends, a TLSRoute for <c>ssl-passthrough</c>), canaries merged into their main
/// Ingress's route as weights and header matches, ReferenceGrants where a reference crosses namespaces, BackendTLSPolicies
/// for <c>proxy-ssl-*</c>; what does not map is noted with the Ingress, the field and why. Pure: the command reads and writes.
/// </summary>
internal static class GatewayMigrator
{
    /// <param name="servicePort">A Service's port number by port name, null when unknown (Ingresses naming ports need it).</param>
    /// <param name="configMaps">Where the ConfigMaps are (custom-headers' and the controller's); null for none.</param>
    public static GatewayMigration Convert(IEnumerable<(V1Ingress Ingress, ObjectOrigin Origin)> ingresses, Func<ObjectKey, string, int?> servicePort, GatewayMigrationOptions options, ClusterState? configMaps = null)
    {
        var cluster = configMaps ?? ClusterState.Empty;
        var controller = MigrationController.Read(cluster, options.NginxConfigMap);
        var notes = new List<MigrationNote>(controller.Notes);
        var read = new List<MigrationIngress>();
        var created = new Dictionary<ObjectKey, DateTime?>();
        foreach (var (ingress, origin) in ingresses.OrderBy(i => i.Ingress.Metadata?.NamespaceProperty, StringComparer.Ordinal).ThenBy(i => i.Ingress.Metadata?.Name, StringComparer.Ordinal))
        {
            if (MigrationIngress.Read(ingress, origin, servicePort, notes, controller.Config) is not { } migrated)
            {
                continue;
            }

            read.Add(migrated);
            created[migrated.Key] = ingress.Metadata?.CreationTimestamp;
            foreach (var finding in migrated.Findings)
            {
                if (GatewayApiEquivalents.NotMapped(finding, migrated.Settings) is { } reason)
                {
                    notes.Add(new MigrationNote(migrated.Key, origin, finding.Field, MigrationNoteKind.NotMapped, reason));
                }
            }
        }

        var gateways = new SortedDictionary<ObjectKey, GatewayDraft>();
        GatewayDraft GatewayOf(MigrationIngress ingress)
        {
            var key = new ObjectKey(options.GatewayNamespace ?? ingress.Key.Namespace, options.GatewayName ?? ingress.ClassName);
            if (!gateways.TryGetValue(key, out var gateway))
            {
                gateways[key] = gateway = new GatewayDraft(key, options.GatewayClass ?? ingress.ClassName, options.GatewayNamespace is not null);
            }

            gateway.Sources.Add(ingress.Key);
            return gateway;
        }

        var mains = read.Where(i => i.Settings.Canary is null).ToList();
        foreach (var main in mains)
        {
            var gateway = GatewayOf(main);
            foreach (var (host, secret) in main.Tls)
            {
                gateway.AddHttps(host, new ObjectKey(main.Key.Namespace, secret));
            }

            foreach (var host in main.Passthrough ? main.Hosts : [])
            {
                gateway.AddPassthrough(host);
            }
        }

        var aliases = Aliases(mains, created, notes);

        // ingress-nginx: one Ingress's use-regex (or rewrite-target) makes every path of its host a regular expression.
        var regexHosts = mains.Where(m => m.Settings.UseRegex).SelectMany(m => m.Hosts.Select(h => (GatewayOf(m).Key, h))).ToHashSet();
        var grants = new ReferenceGrantSet();
        var routes = new List<RouteDraft>();
        var policies = new SortedDictionary<ObjectKey, BackendTlsPolicy>();
        var grpc = new List<(RouteDraft Draft, RouteRuleWriter Writer)>();
        var byPath = new Dictionary<(ObjectKey Gateway, string Host, string Path), (HttpRoute Route, HttpRouteRule Rule, RouteDraft Draft)>();
        foreach (var main in mains)
        {
            var gateway = GatewayOf(main);
            if (main.Passthrough)
            {
                routes.AddRange(main.Hosts.Select(host => Passthrough(main, gateway, host)));
                if (gateway.AnyHttps)
                {
                    notes.Add(new MigrationNote(main.Key, main.Origin, MigrationIngress.Annotation("ssl-passthrough"), MigrationNoteKind.NotMapped, $"Gateway {gateway.Key.Namespace}/{gateway.Key.Name} also has HTTPS listeners on 443, and OneHop (as Gateway API allows) refuses a TLS listener on an HTTPS port: give the passthrough hosts a Gateway of their own on another address"));
                }

                continue;
            }

            var protocol = main.Findings.FirstOrDefault(f => f.Key == NginxAnnotations.Prefix + "backend-protocol" && f.Problem is null)?.Value.ToUpperInvariant();
            var customHeaders = CustomHeaders(main, cluster, controller, notes);
            foreach (var host in main.Hosts)
            {
                var writer = new RouteRuleWriter(main, regexHosts.Contains((gateway.Key, host)), notes) { Globals = controller.Headers, CustomHeaders = customHeaders, Grants = grants };
                var rules = new List<HttpRouteRule>();
                if (writer.AppRoot() is { } appRoot)
                {
                    rules.Add(appRoot);
                }

                var pathRules = main.Paths.Where(p => p.Host == host).Select(p => (Path: p, Rule: writer.Rule(p))).ToList();
                rules.AddRange(pathRules.Select(p => p.Rule));
                var https = gateway.HasHttps(host);
                var redirect = https && (main.Settings.SslRedirect ?? true || main.Settings.ForceSslRedirect == true);
                if (!https && main.Settings.ForceSslRedirect == true)
                {
                    writer.Note("force-ssl-redirect", MigrationNoteKind.NotMapped, $"host '{host}' has no TLS here (terminated in front of ingress-nginx): a Gateway cannot tell a request that came over HTTPS from one that did not");
                }

                var sections = !https ? [GatewayDraft.HttpListener] : redirect ? [GatewayDraft.HttpsListener(host)] : new[] { GatewayDraft.HttpListener, GatewayDraft.HttpsListener(host) };
                var hostAliases = aliases.GetValueOrDefault(host, []);
                if (https && !hostAliases.IsEmpty)
                {
                    writer.Note("server-alias", MigrationNoteKind.Difference, $"the HTTPS listener of {host} takes that name only: {string.Join(", ", hostAliases)} need HTTPS listeners of their own, with a certificate for them");
                }

                var route = HttpRouteOf(main, gateway, host, RouteName(main.Key.Name, host), sections, rules, hostAliases);
                var draft = new RouteDraft(route, [main.Key]);
                routes.Add(draft);
                foreach (var (path, rule) in pathRules.Where(p => p.Rule.BackendRefs is not null))
                {
                    byPath.TryAdd((gateway.Key, host, path.Path), (route, rule, draft));
                }

                if (redirect)
                {
                    writer.Note("ssl-redirect", MigrationNoteKind.Difference, "the http route redirects /.well-known/acme-challenge/ too, which ingress-nginx never redirects: an HTTP-01 solver needs a route of its own");
                    var toHttps = new HttpRouteFilter { Type = "RequestRedirect", RequestRedirect = new HttpRequestRedirectFilter { Scheme = "https", StatusCode = 308 } };
                    var redirects = rules.Select(r => new HttpRouteRule { Matches = r.Matches, Filters = [toHttps] }).ToList();
                    routes.Add(new RouteDraft(HttpRouteOf(main, gateway, host, RouteName(main.Key.Name, host) + "-https-redirect", [GatewayDraft.HttpListener], redirects, hostAliases), [main.Key]));
                }

                if (protocol is "GRPC" or "GRPCS")
                {
                    grpc.Add((draft, writer));
                }
            }

            if (main.DefaultBackend is { } fallback)
            {
                var rule = new HttpRouteRule { BackendRefs = [fallback] };
                routes.Add(new RouteDraft(HttpRouteOf(main, gateway, string.Empty, main.Key.Name + "-default-backend", [GatewayDraft.HttpListener], [rule]), [main.Key]));
            }

            BackendTls(main, protocol, policies, notes);
        }

        foreach (var canary in read.Where(i => i.Settings.Canary is not null))
        {
            Canaries.Merge(canary, GatewayOf(canary).Key, byPath, grants, notes);
        }

        // After the canaries, which add their weights and header matches to the HTTPRoute.
        foreach (var (draft, writer) in grpc)
        {
            routes[routes.IndexOf(draft)] = draft with { Route = GrpcRoutes.Of((HttpRoute)draft.Route, writer) };
        }

        var objects = ImmutableArray.CreateBuilder<MigratedObject>();
        var all = notes.OrderBy(n => n.Object, StringComparer.Ordinal).ThenBy(n => n.Ingress).ToImmutableArray();
        foreach (var gateway in gateways.Values)
        {
            var built = gateway.Build(grants);
            objects.Add(new MigratedObject(built, [
                $"From the Ingresses {string.Join(", ", gateway.Sources.Select(s => $"{s.Namespace}/{s.Name}"))}.",
                $"gatewayClassName {gateway.ClassName}: OneHop serves it when that GatewayClass's controllerName is {GatewayApiNames.ControllerName}.",
                .. options.GatewayNamespace is null ? Array.Empty<string>() : ["Its listeners admit routes from every namespace: one Gateway for all the Ingresses' namespaces."],
                .. controller.Notes.Select(n => n.ToString()),
            ]));
        }

        objects.AddRange(grants.Build().Select(g => new MigratedObject(g, ["Lets the objects of the namespace named in from refer to these (Gateway API forbids crossing namespaces without it)."])));
        foreach (var route in routes.OrderBy(r => r.Route.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(r => r.Route.Metadata.Name, StringComparer.Ordinal).ThenBy(r => r.Route.Kind, StringComparer.Ordinal))
        {
            objects.Add(new MigratedObject(route.Route, [
                $"From {string.Join(" and ", route.Sources.Select(s => $"Ingress {s.Namespace}/{s.Name}"))}.",
                .. all.Where(n => n.Object == "Ingress" && route.Sources.Contains(n.Ingress)).Select(n => n.ToString()),
            ]));
        }

        objects.AddRange(policies.Values.Select(p => new MigratedObject(p, [
            $"proxy-ssl-secret: BackendTLSPolicy reads the CA from a ConfigMap's ca.crt: create ConfigMap {p.Metadata.NamespaceProperty}/{p.Spec.Validation!.CaCertificateRefs![0].Name} with the ca.crt of the Secret ingress-nginx used.",
        ])));
        return new GatewayMigration(objects.ToImmutable(), all);
    }

    /// <summary>ingress2gateway's route name: the Ingress's name and the host's listener prefix.</summary>
    public static string RouteName(string ingress, string host) => $"{ingress}-{GatewayDraft.ListenerPrefix(host)}";

    private static HttpRoute HttpRouteOf(MigrationIngress ingress, GatewayDraft gateway, string host, string name, IEnumerable<string> sections, List<HttpRouteRule> rules, ImmutableArray<string> aliases = default) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ingress.Key.Namespace },
        Spec = new HttpRouteSpec
        {
            ParentRefs = [.. sections.Select(s => gateway.Parent(ingress.Key.Namespace, s))],
            Hostnames = host.Length == 0 ? null : [host, .. aliases.IsDefault ? [] : aliases],
            Rules = rules,
        },
    };

    /// <summary>
    /// The headers of the Ingress's <c>custom-headers</c> ConfigMap, checked as OneHop serves them (names allowed by the
    /// controller ConfigMap's global-allowed-response-headers when it was given); empty, with a note, when it cannot be read.
    /// </summary>
    private static ImmutableArray<KeyValuePair<string, string>> CustomHeaders(MigrationIngress ingress, ClusterState cluster, MigrationController controller, List<MigrationNote> notes)
    {
        if (ingress.Settings.CustomHeaders is not { } map)
        {
            return [];
        }

        var allowed = controller.Headers.AllowedResponseHeaders;
        var problem = $"ConfigMap {map} is in another namespace than the Ingress, which ingress-nginx refuses";
        var headers = map.Namespace != ingress.Key.Namespace ? null : NginxHeaderMaps.Read(
            cluster,
            map,
            (name, value) => NginxHeaderMaps.LiteralValue(value)
                ?? (controller == MigrationController.None || allowed.Contains(name, StringComparer.Ordinal) ? null : $"header {name} is not in the controller ConfigMap's global-allowed-response-headers, which ingress-nginx requires"),
            out problem);
        if (headers is null)
        {
            notes.Add(new MigrationNote(ingress.Key, ingress.Origin, MigrationIngress.Annotation("custom-headers"), MigrationNoteKind.NotMapped, $"{problem}: write its ResponseHeaderModifier by hand"));
            return [];
        }

        if (controller == MigrationController.None)
        {
            notes.Add(new MigrationNote(ingress.Key, ingress.Origin, MigrationIngress.Annotation("custom-headers"), MigrationNoteKind.Difference, "written as a ResponseHeaderModifier set without checking the names against global-allowed-response-headers: give --nginx-configmap to check them as ingress-nginx does"));
        }

        return headers.Value;
    }

    /// <summary>
    /// <c>server-alias</c> as more hostnames of every route of a host, as ingress-nginx serves every path of the host under
    /// them: the oldest Ingress that names aliases for a host sets them, and an alias that is the host of any Ingress rule
    /// is left out (ingress-nginx drops it too).
    /// </summary>
    private static Dictionary<string, ImmutableArray<string>> Aliases(List<MigrationIngress> mains, Dictionary<ObjectKey, DateTime?> created, List<MigrationNote> notes)
    {
        var byHost = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        var setBy = new Dictionary<string, ObjectKey>(StringComparer.Ordinal);
        var ruleHosts = mains.SelectMany(m => m.Hosts).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var ingress in mains.Where(m => !m.Settings.ServerAliases.IsEmpty).OrderBy(m => created.GetValueOrDefault(m.Key) ?? DateTime.MaxValue).ThenBy(m => m.Key))
        {
            void Note(string message) => notes.Add(new MigrationNote(ingress.Key, ingress.Origin, MigrationIngress.Annotation("server-alias"), MigrationNoteKind.Difference, message));
            var dropped = ingress.Settings.ServerAliases.Where(ruleHosts.Contains).ToList();
            if (dropped.Count > 0)
            {
                Note($"{string.Join(", ", dropped)} is the host of an Ingress rule: left out, as ingress-nginx drops it");
            }

            foreach (var host in ingress.Hosts.Where(h => h.Length > 0))
            {
                if (setBy.TryGetValue(host, out var first))
                {
                    Note($"host '{host}' already has the aliases of Ingress {first.Namespace}/{first.Name}: these are left out, as ingress-nginx does");
                    continue;
                }

                setBy[host] = ingress.Key;
                byHost[host] = [.. ingress.Settings.ServerAliases.Where(a => !ruleHosts.Contains(a))];
            }
        }

        return byHost;
    }

    /// <summary><c>ssl-passthrough</c>: the host's TLS listener and a TLSRoute to the backend of its first path, as ingress-nginx takes.</summary>
    private static RouteDraft Passthrough(MigrationIngress ingress, GatewayDraft gateway, string host)
    {
        var route = new TlsRoute
        {
            Metadata = new V1ObjectMeta { Name = RouteName(ingress.Key.Name, host), NamespaceProperty = ingress.Key.Namespace },
            Spec = new TlsRouteSpec
            {
                ParentRefs = [gateway.Parent(ingress.Key.Namespace, GatewayDraft.TlsListener(host))],
                Hostnames = host.Length == 0 ? null : [host],
                Rules = [new L4RouteRule { BackendRefs = [ingress.Paths.First(p => p.Host == host).Backend] }],
            },
        };
        return new RouteDraft(route, [ingress.Key]);
    }

    /// <summary><c>backend-protocol</c> HTTPS or GRPCS: a BackendTLSPolicy per Service when <c>proxy-ssl-*</c> says how to verify the pods.</summary>
    private static void BackendTls(MigrationIngress ingress, string? protocol, SortedDictionary<ObjectKey, BackendTlsPolicy> policies, List<MigrationNote> notes)
    {
        void Note(string annotation, string message) =>
            notes.Add(new MigrationNote(ingress.Key, ingress.Origin, MigrationIngress.Annotation(annotation), MigrationNoteKind.NotMapped, message));

        if (protocol is "H2C")
        {
            Note("backend-protocol", "Gateway API takes the protocol to the pods from the Service port's appProtocol: set kubernetes.io/h2c there");
        }

        if (protocol is not ("HTTPS" or "GRPCS"))
        {
            return;
        }

        if (ingress.Settings.ProxySsl is not { } ssl)
        {
            Note("backend-protocol", $"{protocol} without proxy-ssl-secret: ingress-nginx does not verify the pods, and a BackendTLSPolicy always does (write one with the pods' CA, or set the Service port's appProtocol to https)");
            return;
        }

        if (!ssl.Verify || ssl.Name is null)
        {
            Note(ssl.Verify ? "proxy-ssl-name" : "proxy-ssl-verify", "a BackendTLSPolicy verifies the pods against a CA and a hostname: it needs proxy-ssl-verify on and proxy-ssl-name");
            return;
        }

        var ca = ssl.Secret[(ssl.Secret.IndexOf('/', StringComparison.Ordinal) + 1)..];
        foreach (var service in ingress.Paths.Select(p => p.Backend.Name).Append(ingress.DefaultBackend?.Name).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            policies.TryAdd(new ObjectKey(ingress.Key.Namespace, service), new BackendTlsPolicy
            {
                Metadata = new V1ObjectMeta { Name = service + "-backend-tls", NamespaceProperty = ingress.Key.Namespace },
                Spec = new BackendTlsPolicySpec
                {
                    TargetRefs = [new PolicyTargetReference { Group = string.Empty, Kind = "Service", Name = service }],
                    Validation = new BackendTlsPolicyValidation
                    {
                        CaCertificateRefs = [new LocalObjectReference { Group = string.Empty, Kind = "ConfigMap", Name = ca }],
                        Hostname = ssl.Name,
                    },
                },
            });
        }
    }
}
