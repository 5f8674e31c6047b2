using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Compression;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.Routing.Ingresses;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.Routing.L4;
using OneHop.Core.Routing.Tls;
using OneHop.Core.State;

namespace OneHop.Core.Routing;

/// <summary>
/// The pure function at the centre of OneHop: cluster objects + config → routing snapshot + diagnostics. No I/O,
/// no clock, no randomness: the same input always gives the same output, byte for byte once serialized.
/// </summary>
internal static class Translator
{
    public const string DefaultRouteId = "default-backend";

    public static TranslationResult Translate(TranslatorInput input)
    {
        var diagnostics = new List<Diagnostic>();
        var config = input.Config;
        var cluster = input.Cluster;
        var slices = new EndpointSliceIndex(cluster, diagnostics, input.Cache);
        var tlsPolicies = BackendTlsPolicies.From(cluster, diagnostics);
        var services = new ServiceBackendResolver(cluster, slices, config.Defaults.Policy, diagnostics, input.Cache, config.Defaults.Reach, input.Reachability, tlsPolicies.For);
        var routes = new RouteSet();
        var backends = new Dictionary<string, Backend>(StringComparer.Ordinal);

        // The operator's own config comes first: its routes win any conflict with an Ingress.
        var upstreams = config.Upstreams.ToDictionary(u => u.Name, UpstreamBackend, StringComparer.Ordinal);
        foreach (var route in config.Routes)
        {
            var backend = upstreams[route.Upstream];
            backends[backend.Id] = backend;
            var hosts = route.Hosts.IsEmpty ? [string.Empty] : route.Hosts;
            foreach (var host in hosts)
            {
                // The config loader rejects duplicate routes, so config routes never conflict among themselves.
                routes.TryAdd(
                    new Route(RouteId($"config/{route.Name}", host, route.Path, route.PathType), host, route.Path, route.PathType, backend.Id, $"config route {route.Name}", route.Timeout)
                    {
                        // null follows the config's section (WithProxyWide), as every other route does.
                        Compression = route.Compression switch { false => CompressionPolicy.Off, true => config.Compression ?? CompressionPolicy.Default, null => null },
                    },
                    owner: $"config route {route.Name}");
            }
        }

        var (chosen, ignored, memory, adopted, globalHeaders, controller) = ChooseIngressVersions(input, services, diagnostics);
        var ingresses = NginxServerAliases.Apply(chosen, diagnostics);
        var policyOwners = new PolicyOwners(diagnostics);
        var owners = ingresses.ToDictionary(i => i.Ref.ToString(), StringComparer.Ordinal);
        // Canary Ingresses are resolved last: a Service's backend policy comes from the Ingresses that route to it themselves.
        var proxySsl = ingresses.Where(i => i.Nginx.ProxySsl is not null)
            .ToDictionary(i => i, i => NginxProxySslResolver.Resolve(i, i.Nginx.ProxySsl!, cluster, diagnostics));
        var rules = ingresses.OrderBy(i => i.Nginx.Canary is not null).SelectMany(ingress => ingress.Rules.Select(rule => (Ingress: ingress, Rule: rule, Backend: WithNginx(services.Resolve(rule.Backend, ingress.PolicySettings), ingress, proxySsl.GetValueOrDefault(ingress)))))
            .ToList();
        // After the rules: a Service routed by a rule keeps the policy of the oldest Ingress that routes to it.
        var errorBackends = ingresses.Where(i => i.Nginx.DefaultBackend is not null && i.Nginx.Canary is null)
            .ToDictionary(i => i, i => NginxErrorPagesResolver.Resolve(i, cluster, services, diagnostics));
        var regexHosts = NginxRoutes.RegexHosts(ingresses);
        var basicAuth = ingresses.Where(i => i.Nginx.BasicAuth is not null && i.Nginx.Canary is null)
            .ToDictionary(i => i, i => NginxBasicAuthResolver.Resolve(i, i.Nginx.BasicAuth!, cluster, diagnostics));
        var externalAuth = ingresses.Where(i => i.Nginx.ExternalAuth is not null && i.Nginx.Canary is null)
            .ToDictionary(i => i, i => NginxExternalAuthResolver.Resolve(i, i.Nginx.ExternalAuth!, services, diagnostics));
        var mirrors = ingresses.Where(i => i.Nginx.Mirror is not null && i.Nginx.Canary is null)
            .ToDictionary(i => i, i => NginxMirrorResolver.Resolve(i, i.Nginx.Mirror!, services, config.Defaults.Policy, diagnostics));

        var headers = ingresses.ToDictionary(i => i, i => NginxRoutes.Headers(i, globalHeaders));

        // A route with its Ingress's ingress-nginx behaviour: a rule's, or the catch-all's (below).
        Route Shaped(Route route, CompiledIngress ingress, IngressRule rule, NginxSettings nginx, bool hostUsesRegex) => NginxRoutes.Shape(
            route,
            rule,
            nginx,
            ingress.Ref.Name,
            hostUsesRegex,
            basicAuth.GetValueOrDefault(ingress),
            externalAuth.GetValueOrDefault(ingress).Auth,
            NginxErrorPagesResolver.For(ingress, rule, errorBackends.GetValueOrDefault(ingress)),
            headers.GetValueOrDefault(ingress),
            mirrors.GetValueOrDefault(ingress).Mirror);

        // Rules whose Service port exists go first (oldest first within each group): a rule that can only answer 503
        // never takes a path over from one that works, however old it is or however its name sorts.
        foreach (var (ingress, rule, backend) in rules.Where(r => r.Backend.Problem is null).Concat(rules.Where(r => r.Backend.Problem is not null)))
        {
            if (ingress.Nginx.Canary is not null)
            {
                continue; // added to the main Ingress's routes below
            }

            policyOwners.Check(backend, ingress, rule);
            var id = RouteId($"ingress/{ingress.Ref.Key}", rule.Host, rule.Path, rule.PathType);
            var route = Shaped(
                new Route(id, rule.Host, rule.Path, rule.PathType, backend.Id, $"{ingress.Ref} {rule.Field}", ingress.Timeout) { Compression = CompressionOf(ingress, config) },
                ingress,
                rule,
                ingress.Nginx,
                regexHosts.Contains(rule.Host));
            if (routes.TryAdd(route, owner: ingress.Ref.ToString()) is { } winner)
            {
                var why = WhyTaken(winner, owners.GetValueOrDefault(winner), ingress, backend);
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.RouteConflict,
                    $"host '{HostText(rule.Host)}' path {rule.Path} ({rule.PathType}) is already routed by {why}; this rule is ignored",
                    ingress.Ref,
                    ingress.Origin,
                    rule.Field));
                continue;
            }

            backends[backend.Id] = backend;
        }

        // An auth-url's Service is routed to like any other; an Ingress that routes to the same port sets its policy.
        foreach (var (_, (_, authBackend)) in externalAuth.Where(a => a.Value.Backend is not null))
        {
            backends.TryAdd(authBackend!.Id, authBackend);
        }

        foreach (var (_, mirrorBackend) in mirrors.Values)
        {
            backends.TryAdd(mirrorBackend.Id, mirrorBackend);
        }

        foreach (var errorBackend in errorBackends.Values.OfType<Backend>())
        {
            backends.TryAdd(errorBackend.Id, errorBackend);
        }

        AddNginxCanaries(rules.Where(r => r.Ingress.Nginx.Canary is not null), routes, backends, regexHosts, diagnostics);
        AddNginxRedirects(ingresses, routes, diagnostics);

        // Gateway API beside Ingress: its routes are scoped to their listeners' ports and ranked by the spec's rules.
        var gateways = new GatewayListeners(cluster, config.Gateway, diagnostics);
        var gatewayRoutes = new GatewayRoutes(cluster, gateways, services, diagnostics);
        new HttpRouteTranslator(gatewayRoutes).Translate();
        new GrpcRouteTranslator(gatewayRoutes).Translate();
        var gatewayL4 = new L4RouteTranslator(gatewayRoutes);
        gatewayL4.Translate();
        foreach (var backend in gatewayRoutes.Backends.Values)
        {
            backends[backend.Id] = backend;
        }

        // ingress-nginx applies the annotations of an Ingress without rules to the catch-all location its defaultBackend
        // becomes (locationApplyAnnotations), all but its redirects and rewrites, which it puts back; an Ingress with rules
        // lends it only its Service.
        Route ShapeDefault(CompiledIngress ingress, Route route)
        {
            if (!ingress.Rules.IsEmpty || ingress.Nginx.Canary is not null)
            {
                return route;
            }

            var rule = new IngressRule(string.Empty, "/", PathMatchType.Prefix, ingress.DefaultBackend!, "spec.defaultBackend");
            return Shaped(route with { Compression = CompressionOf(ingress, config) }, ingress, rule, ingress.Nginx with { Redirect = null, RewriteTarget = null }, hostUsesRegex: false);
        }

        var defaultRoute = DefaultRoute(config, upstreams, ingresses, services, backends, diagnostics, ShapeDefault);
        SendNginxErrorsToDefaultRoute(routes, defaultRoute, ingresses, diagnostics);
        var tls = new TlsResolver(cluster, diagnostics, input.Cache);
        foreach (var ingress in ingresses)
        {
            TranslationGuard.Run(() => tls.Add(ingress), () => false, diagnostics, ingress.Ref, ingress.Origin);
        }

        foreach (var listener in gateways.All.Where(l => l.Certificate is not null))
        {
            var owner = listener.Set ?? listener.Gateway;
            var origin = cluster.OriginOf(owner);
            // A TLS listener's certificate is its routes' (L4Route.Certificate), never chosen by SNI for Kestrel's HTTPS ports: it binds no host.
            IEnumerable<string> hosts = listener.TerminatesTls ? [] : listener.Hostname is { } hostname ? [hostname] : listener.RouteHosts.Where(h => h.Length > 0).Order(StringComparer.Ordinal);
            var portDefault = listener.Hostname is null || listener.TerminatesTls;

            // The first usable certificate is served (bound to the hosts); the others are read only to report them.
            var problems = new List<string>();
            ObjectRef? served = null;
            foreach (var (secret, i) in listener.Certificates.Select((c, i) => (c, i)))
            {
                var field = $"listener {listener.Name} tls.certificateRefs[{i}]";
                var problem = served is null
                    ? TranslationGuard.Run<string?>(() => tls.AddListener(owner, origin, secret, hosts, field, portDefault), () => "OneHop could not read the Secret", diagnostics, owner, origin)
                    : TranslationGuard.Run<string?>(() => tls.Check(owner, origin, secret, field), () => "OneHop could not read the Secret", diagnostics, owner, origin);
                if (problem is not null)
                {
                    problems.Add(problem);
                }
                else
                {
                    served ??= secret;
                }
            }

            listener.Certificate = served ?? listener.Certificate;
            if (problems.Count > 0)
            {
                // Served with the first usable certificate (or the default), but a certificateRef does not resolve: the status says so.
                gateways.Report(listener, GatewayCondition.False("ResolvedRefs", "InvalidCertificateRef", string.Join("; ", problems)));
            }
        }

        var (l4, l4Memory) = new L4Translator(input, services, diagnostics).Translate(ingresses, gatewayL4);
        var proxyWide = controller.ProxyWide();
        var snapshot = new RoutingSnapshot(
            [.. RouteSet.Sorted(routes.All.Concat(gatewayRoutes.Routes)).Select(r => WithProxyWide(r, config))],
            defaultRoute is null ? null : WithProxyWide(defaultRoute, config),
            [.. backends.Values.OrderBy(b => b.Id, StringComparer.Ordinal)])
        {
            Certificates = tls.Certificates,
            HostPolicies = tls.HostPolicies,
            L4 = l4,
            GatewayPorts = [.. gateways.All.Where(l => l.Protocol is "HTTP" or "HTTPS").GroupBy(l => l.Port).OrderBy(g => g.Key).Select(GatewayPortOf)],
            TrustedProxies = proxyWide.RealIp.ToConfig(),
            ServerTlsProtocols = proxyWide.ServerTlsProtocols,
            ServerCipherSuites = proxyWide.ServerCipherSuites,
            OcspStapling = config.Tls.OcspStapling || proxyWide.EnableOcsp,
            HttpsRedirectStatus = proxyWide.HttpRedirectCode,
            RejectUnknownServerNames = config.Tls.RejectUnknownNames || proxyWide.SslRejectHandshake,
            ProxyProtocol = proxyWide.RealIp.ToProxyProtocol(),
        };
        input.Cache?.Commit();
        return new TranslationResult(snapshot, [.. diagnostics], ignored, memory with { LastGoodL4 = l4Memory })
        {
            // Adopted ingress-nginx Ingresses are served, but their status stays ingress-nginx's unless OneHop owns the class.
            Served = [.. ingresses.Select(i => i.Ref).Where(r => config.Ingress.OwnsIngressNginx || !adopted.Contains(r)).Order()],
            GatewayStatus = new GatewayApiStatus(gateways.Classes, gateways.Reports(), [.. gatewayRoutes.Statuses])
            {
                Policies = tlsPolicies.Reports(PolicyAncestors.Of(cluster, gatewayRoutes.Statuses)),
                ListenerSets = gateways.SetReports(),
            },
            ReachTargets = services.ReachTargets,
        };
    }

    /// <summary>
    /// An Ingress's compression: its <c>onehop.dev/compression</c>, over ingress-nginx's ConfigMap keys, over the config
    /// file's section (the last one is stamped on every route without its own by <see cref="WithProxyWide"/>).
    /// </summary>
    private static CompressionPolicy? CompressionOf(CompiledIngress ingress, OneHopConfig config) => ingress.Compression switch
    {
        false => CompressionPolicy.Off,
        true => ingress.Nginx.Compression ?? config.Compression ?? CompressionPolicy.Default,
        null => ingress.Nginx.Compression,
    };

    /// <summary>
    /// The route with the config file's settings for every route: its compression (its own, else the config's; none,
    /// null, for off) and <c>forwardedHeaders.generateRequestId</c>.
    /// </summary>
    private static Route WithProxyWide(Route route, OneHopConfig config)
    {
        var compression = route.Compression ?? config.Compression;
        compression = compression is { IsOff: false } ? compression : null;
        var requestId = route.GeneratesRequestId || config.ForwardedHeaders.GenerateRequestId;
        return ReferenceEquals(compression, route.Compression) && requestId == route.GeneratesRequestId
            ? route
            : route with { Compression = compression, GeneratesRequestId = requestId };
    }

    /// <summary>A Gateway port from its listeners.</summary>
    private static GatewayPort GatewayPortOf(IGrouping<int, AttachableListener> listeners)
    {
        var https = listeners.First().Protocol == "HTTPS";
        var hostnames = listeners.Select(l => l.Hostname ?? string.Empty).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);

        // Gateways sharing a port share its handshakes: the first that validates client certificates sets them (fail closed).
        var frontend = listeners.Select(l => l.Frontend).FirstOrDefault(f => f is not null);
        // A listener without hostname takes every name the port's other listeners do not: its certificate is the port's default.
        var certificate = https ? listeners.FirstOrDefault(l => l.Hostname is null && l.Certificate is not null)?.Certificate!.ToString() : null;
        return new GatewayPort(listeners.Key, https, [.. hostnames], https ? frontend : null) { DefaultCertificate = certificate };
    }

    /// <summary>
    /// Compiles every Ingress of ours. An Ingress with errors is routed by its last good version when there is
    /// one; otherwise by whatever of it is valid. Returns them oldest first, the order conflicts are decided in.
    /// </summary>
    private static (List<CompiledIngress> Chosen, ImmutableArray<IgnoredObject> Ignored, TranslationMemory Memory, HashSet<ObjectRef> Adopted, NginxGlobalHeaders Headers, NginxControllerConfig Controller) ChooseIngressVersions(
        TranslatorInput input,
        ServiceBackendResolver services,
        List<Diagnostic> diagnostics)
    {
        var classes = new IngressClassFilter(input.Cluster, input.Config.Ingress, diagnostics);
        var (controller, goodController) = NginxControllerConfigReader.Resolve(input, diagnostics);
        var (headers, goodHeaders) = NginxGlobalHeaders.Resolve(controller, input.Cluster, input.Memory.LastGoodNginxHeaders, diagnostics);
        var chosen = new List<CompiledIngress>();
        var ignored = ImmutableArray.CreateBuilder<IgnoredObject>();
        var memory = ImmutableDictionary.CreateBuilder<ObjectKey, CompiledIngress>();
        var adopted = new HashSet<ObjectRef>();
        foreach (var (key, ingress) in input.Cluster.Ingresses.OrderBy(p => p.Key))
        {
            var reference = new ObjectRef(KubeKinds.Ingress, key);
            var origin = input.Cluster.OriginOf(reference);
            if (TranslationGuard.Run(() => classes.WhyIgnored(ingress), () => "OneHop could not read it", diagnostics, reference, origin) is { } reason)
            {
                ignored.Add(new IgnoredObject(reference, reason));
                diagnostics.Add(Diagnostic.Info(DiagnosticCodes.IngressIgnored, $"not served: {reason}", reference, origin));
                continue;
            }

            if (classes.IsAdopted(ingress))
            {
                adopted.Add(reference);
            }

            if (input.Cache is not { } cache || !cache.TryGetIngress(key, ingress, origin, out var entry) || entry.Controller != controller)
            {
                var compileErrors = new List<Diagnostic>();
                var compiledNow = TranslationGuard.Run(
                    () => IngressCompiler.Compile(ingress, origin, compileErrors, controller),
                    () => CompiledIngress.Broken(reference, ingress, origin),
                    compileErrors,
                    reference,
                    origin);
                entry = new TranslationCache.IngressEntry(ingress, origin, compiledNow, [.. compileErrors]) { Controller = controller };
                input.Cache?.PutIngress(key, entry);
            }

            var errors = new List<Diagnostic>(entry.Errors);
            var compiled = NginxAuthHeadersResolver.Resolve(NginxCustomHeadersResolver.Resolve(entry.Compiled, headers, input.Cluster, errors), input.Cluster, errors);
            foreach (var rule in compiled.Rules)
            {
                services.Validate(rule.Backend, reference, origin, $"{rule.Field}.backend", errors);
            }

            if (compiled.DefaultBackend is { } defaultBackend)
            {
                services.Validate(defaultBackend, reference, origin, "spec.defaultBackend", errors);
            }

            diagnostics.AddRange(errors);

            // Warnings (a bad annotation value left at its default) do not make a version worse than its last good one.
            if (!errors.Any(e => e.Severity == DiagnosticSeverity.Error))
            {
                memory[key] = compiled;
                chosen.Add(compiled);
            }
            else if (input.Memory.LastGood.TryGetValue(key, out var lastGood) && (lastGood.Uid is null || lastGood.Uid == compiled.Uid))
            {
                diagnostics.Add(Diagnostic.Warning(
                    DiagnosticCodes.LastGoodKept,
                    $"this version has errors; routing stays as its last good version{(lastGood.ResourceVersion is { } rv ? $" (resourceVersion {rv})" : string.Empty)}",
                    reference,
                    origin));
                memory[key] = lastGood;
                chosen.Add(lastGood);
            }
            else
            {
                chosen.Add(compiled);
            }
        }

        chosen.Sort(CompiledIngress.CompareAge);
        return (chosen, ignored.ToImmutable(), new TranslationMemory(memory.ToImmutable()) { LastGoodNginxConfig = goodController, LastGoodNginxHeaders = goodHeaders ?? input.Memory.LastGoodNginxHeaders }, adopted, headers, controller);
    }

    /// <summary>
    /// ingress-nginx's <c>backend-protocol</c>: the Service port's backend spoken to in that protocol. It is its own
    /// backend (its id says the protocol) so that other Ingresses of the same Service keep theirs.
    /// </summary>
    private static Backend WithProtocol(Backend backend, NginxSettings nginx) =>
        nginx.BackendProtocol is { } protocol && protocol != backend.Protocol
            ? backend with { Id = $"{backend.Id}@{protocol.ToString().ToLowerInvariant()}", Protocol = protocol }
            : backend;

    /// <summary>
    /// <see cref="WithProtocol"/>, then ingress-nginx's <c>proxy-ssl-*</c>: the Ingress's own TLS towards the pods, in
    /// place of a BackendTLSPolicy of the Service, on a backend of its own (its id names the Ingress).
    /// </summary>
    private static Backend WithNginx(Backend backend, CompiledIngress ingress, BackendTls? proxySsl)
    {
        backend = WithProtocol(backend, ingress.Nginx);
        return proxySsl is null || backend.Problem is not null ? backend : backend with { Id = $"{backend.Id}/proxy-ssl:{ingress.Ref.Key}", Tls = proxySsl };
    }

    /// <summary>
    /// The redirects of ingress-nginx's <c>app-root</c> (an Exact <c>/</c> per host) and <c>from-to-www-redirect</c> (the
    /// other host, when nothing routes it). A rule that already has <c>/</c> keeps it, and the Ingress is told.
    /// </summary>
    private static void AddNginxCanaries(
        IEnumerable<(CompiledIngress Ingress, IngressRule Rule, Backend Backend)> canaries,
        RouteSet routes,
        Dictionary<string, Backend> backends,
        ImmutableHashSet<string> regexHosts,
        List<Diagnostic> diagnostics)
    {
        foreach (var (ingress, rule, backend) in canaries)
        {
            var regex = NginxRoutes.PathRegex(rule, regexHosts.Contains(rule.Host));
            var path = regex is null ? rule.Path : "/";
            var found = routes.Find(rule.Host, rule.PathType, path, regex);
            var problem = found is not { } main ? "no main Ingress serves this host and path"
                : main.Route.Splits.Length > 0 ? $"{main.Owner} already has a canary"
                : !main.Owner.StartsWith("Ingress", StringComparison.Ordinal) ? $"it is served by {main.Owner}, not by an Ingress"
                : null;
            if (problem is not null)
            {
                diagnostics.Add(Diagnostic.Warning(
                    DiagnosticCodes.RouteConflict,
                    $"canary for host '{HostText(rule.Host)}' path {rule.Path} ({rule.PathType}) is not routed: {problem}",
                    ingress.Ref,
                    ingress.Origin,
                    rule.Field));
                continue;
            }

            var canary = NginxCanaryRoutes.WithAffinityOf(backend, backends.GetValueOrDefault(found!.Value.Route.BackendId), ingress.Nginx.Canary!);
            var (weighted, extra) = NginxCanaryRoutes.Build(found.Value.Route, canary.Id, ingress.Nginx.Canary!, $"{ingress.Ref} {rule.Field}");
            routes.Replace(weighted);
            foreach (var route in extra)
            {
                routes.TryAdd(route, owner: ingress.Ref.ToString());
            }

            backends[canary.Id] = canary;
        }
    }

    private static void AddNginxRedirects(List<CompiledIngress> ingresses, RouteSet routes, List<Diagnostic> diagnostics)
    {
        foreach (var ingress in ingresses.Where(i => i.Nginx.AppRoot is not null))
        {
            foreach (var host in ingress.Rules.Select(r => r.Host).Distinct(StringComparer.Ordinal))
            {
                var route = NginxRoutes.WithBlocks(NginxRoutes.AppRoot(RouteId($"ingress/{ingress.Ref.Key}/app-root", host, "/", PathMatchType.Exact), host, ingress.Nginx.AppRoot!, $"{ingress.Ref} metadata.annotations[{NginxAnnotations.Prefix}app-root]"), ingress.Nginx.Blocks);
                if (routes.TryAdd(route, owner: ingress.Ref.ToString()) is { } winner)
                {
                    diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.RouteConflict, $"app-root is not applied to host '{HostText(host)}': its Exact / is already routed by {winner}", ingress.Ref, ingress.Origin, $"metadata.annotations[{NginxAnnotations.Prefix}app-root]"));
                }
            }
        }

        var routedHosts = routes.All.Select(r => r.Host).ToHashSet(StringComparer.Ordinal);
        foreach (var ingress in ingresses.Where(i => i.Nginx.FromToWwwRedirect))
        {
            // ingress-nginx's www redirect is for the server's own name, not its aliases.
            foreach (var host in ingress.Rules.Where(r => r.AliasOf is null).Select(r => r.Host).Distinct(StringComparer.Ordinal))
            {
                // ingress-nginx redirects only when no server exists for the other name.
                if (NginxRoutes.OtherWwwHost(host) is { } other && !routedHosts.Contains(other))
                {
                    var redirect = NginxRoutes.WwwRedirect(RouteId($"ingress/{ingress.Ref.Key}/www", other, "/", PathMatchType.Prefix), other, host, $"{ingress.Ref} metadata.annotations[{NginxAnnotations.Prefix}from-to-www-redirect]", ingress.Nginx.HttpRedirectCode);
                    routes.TryAdd(NginxRoutes.WithBlocks(redirect, ingress.Nginx.Blocks), owner: ingress.Ref.ToString());
                    routedHosts.Add(other);
                }
            }
        }
    }

    /// <summary>
    /// <c>custom-http-errors</c> without a usable <c>default-backend</c>: ingress-nginx sends the errors to its global
    /// default backend, OneHop to its default route's backend. Without one the answers pass unchanged, and the Ingress is told.
    /// </summary>
    private static void SendNginxErrorsToDefaultRoute(RouteSet routes, Route? defaultRoute, List<CompiledIngress> ingresses, List<Diagnostic> diagnostics)
    {
        var target = defaultRoute is { Splits.IsEmpty: true, BackendId.Length: > 0 } ? defaultRoute.BackendId : null;
        var unserved = new HashSet<ObjectKey>();
        foreach (var route in routes.All.Where(r => r.Filters?.ErrorPages is { BackendId.Length: 0 }).ToList())
        {
            var filters = route.Filters!;
            var pages = filters.ErrorPages!;
            if (target is not null)
            {
                routes.Replace(route with { Filters = filters with { ErrorPages = pages with { BackendId = target } } });
                continue;
            }

            var rest = filters with { ErrorPages = null };
            routes.Replace(route with { Filters = rest == new RouteFilters() ? null : rest });
            unserved.Add(new ObjectKey(pages.Namespace, pages.Ingress));
        }

        foreach (var ingress in ingresses.Where(i => unserved.Contains(i.Ref.Key)))
        {
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.InvalidAnnotation,
                "custom-http-errors has no default backend to send the errors to (no usable default-backend, no defaultUpstream in the config, no spec.defaultBackend): the answers pass unchanged, where ingress-nginx's built-in default backend answers 404",
                ingress.Ref,
                ingress.Origin,
                $"metadata.annotations[{NginxAnnotations.Prefix}custom-http-errors]"));
        }
    }

    private static Route? DefaultRoute(
        OneHopConfig config,
        Dictionary<string, Backend> upstreams,
        List<CompiledIngress> ingresses,
        ServiceBackendResolver services,
        Dictionary<string, Backend> backends,
        List<Diagnostic> diagnostics,
        Func<CompiledIngress, Route, Route> shape)
    {
        Route? route = null;
        string? winner = null;
        if (config.DefaultUpstream is { } name)
        {
            var backend = upstreams[name];
            backends[backend.Id] = backend;
            winner = "the config file's defaultUpstream";
            route = new Route(DefaultRouteId, string.Empty, "/", PathMatchType.Prefix, backend.Id, $"config defaultUpstream {name}");
        }

        foreach (var ingress in ingresses.Where(i => i.DefaultBackend is not null))
        {
            if (winner is not null)
            {
                diagnostics.Add(Diagnostic.Warning(
                    DiagnosticCodes.DefaultBackendConflict,
                    $"spec.defaultBackend is not used: {winner} already provides the default backend",
                    ingress.Ref,
                    ingress.Origin,
                    "spec.defaultBackend"));
                continue;
            }

            var backend = services.Resolve(ingress.DefaultBackend!, ingress.PolicySettings);
            backends[backend.Id] = backend;
            winner = $"{ingress.Ref}, which is older,";
            route = shape(ingress, new Route(DefaultRouteId, string.Empty, "/", PathMatchType.Prefix, backend.Id, $"{ingress.Ref} spec.defaultBackend", ingress.Timeout));
        }

        return route;
    }

    /// <summary>Why the rule of <paramref name="loser"/> lost its host and path to <paramref name="winner"/>, in the words of the conflict message.</summary>
    private static string WhyTaken(string winner, CompiledIngress? owner, CompiledIngress loser, Backend backend)
    {
        if (owner is null)
        {
            return $"{winner}, and the config file wins";
        }

        if (owner == loser)
        {
            return "an earlier path of this Ingress";
        }

        if (backend.Problem is not null)
        {
            return $"{winner}, whose backend works while this rule's does not ({backend.Problem})";
        }

        return Nullable.Compare(owner.Created, loser.Created) < 0
            ? $"{winner}, which is older"
            : $"{winner}, which is as old (by creationTimestamp) and comes first by namespace/name";
    }

    private static Backend UpstreamBackend(UpstreamConfig upstream) => new(
        $"upstream/{upstream.Name}",
        upstream.Name,
        BackendKind.Upstream,
        upstream.Scheme switch { "https" => BackendProtocol.Https, "h2c" => BackendProtocol.H2c, _ => BackendProtocol.Http },
        upstream.Policy,
        [.. upstream.Endpoints.Select(e => new BackendEndpoint(e.Host, e.Port, EndpointState.Ready, Zone: e.Zone, Weight: e.Weight))])
    {
        // Static upstreams are verified by default (the system's roots, or tlsCaFile): unlike pods, they have real names.
        Tls = upstream.Scheme != "https" ? null
            : upstream.TlsInsecureSkipVerify ? BackendTls.Unverified
            : new BackendTls { CaPem = upstream.TlsCaPem, ServerName = upstream.TlsServerName },
    };

    private static string RouteId(string owner, string host, string path, PathMatchType type) =>
        $"{owner}/{(host.Length == 0 ? "_" : host)}{path}#{type}";

    private static string HostText(string host) => host.Length == 0 ? "(any)" : host;

    /// <summary>Routes keyed by what they match, so two rules for the same host, path and type cannot both exist.</summary>
    private sealed class RouteSet
    {
        private readonly Dictionary<(string Host, PathMatchType Type, string Path, string? Regex, string Headers), (Route Route, string Owner)> _routes = [];

        /// <summary>Adds the route; when its host, path and type (and path regex and header conditions) are taken, returns who holds them instead.</summary>
        public string? TryAdd(Route route, string owner)
        {
            var key = Key(route);
            if (_routes.TryGetValue(key, out var existing))
            {
                return existing.Owner;
            }

            _routes[key] = (route, owner);
            return null;
        }

        public IEnumerable<Route> All => _routes.Values.Select(v => v.Route);

        /// <summary>The route without header conditions for this host and path, and who added it.</summary>
        public (Route Route, string Owner)? Find(string host, PathMatchType type, string path, string? regex) =>
            _routes.TryGetValue((host, type, path, regex, string.Empty), out var found) ? found : null;

        /// <summary>Puts <paramref name="route"/> in place of the route with the same key, keeping its owner.</summary>
        public void Replace(Route route) => _routes[Key(route)] = (route, _routes[Key(route)].Owner);

        private static (string, PathMatchType, string, string?, string) Key(Route route) =>
            (route.Host, route.PathType, route.Path, route.Conditions?.PathRegex, string.Join(" ", route.Conditions?.Headers.Select(h => h.ToString()) ?? []));

        /// <summary>By host class (exact, wildcard, any), host, then precedence: the order requests are matched in.</summary>
        public static ImmutableArray<Route> Sorted(IEnumerable<Route> routes)
        {
            var list = routes.ToList();
            list.Sort((a, b) =>
            {
                var byClass = HostClass(a.Host).CompareTo(HostClass(b.Host));
                if (byClass != 0)
                {
                    return byClass;
                }

                var byHost = string.CompareOrdinal(a.Host, b.Host);
                return byHost != 0 ? byHost : Route.ComparePrecedence(a, b);
            });
            return [.. list];
        }

        private static int HostClass(string host) => host.Length == 0 ? 2 : HostRules.IsWildcard(host) ? 1 : 0;
    }

    /// <summary>
    /// A Service port has one backend, built with the policy annotations (OneHop's and ingress-nginx's) of the oldest Ingress that routes to it; a
    /// younger Ingress whose annotations differ is told so (once per backend) instead of being ignored silently.
    /// </summary>
    private sealed class PolicyOwners(List<Diagnostic> diagnostics)
    {
        private readonly Dictionary<string, CompiledIngress> _oldest = new(StringComparer.Ordinal);
        private readonly HashSet<(string Backend, ObjectRef Ingress)> _reported = [];

        public void Check(Backend backend, CompiledIngress ingress, IngressRule rule)
        {
            if (_oldest.TryAdd(backend.Id, ingress))
            {
                return;
            }

            var owner = _oldest[backend.Id];
            if (owner == ingress || owner.PolicySettings.AsSpan().SequenceEqual(ingress.PolicySettings.AsSpan()) || !_reported.Add((backend.Id, ingress.Ref)))
            {
                return;
            }

            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.PolicyConflict,
                $"its backend policy annotations (onehop.dev, or ingress-nginx's load-balance, upstream-hash-by, affinity, proxy-next-upstream) differ from those of {owner.Ref}, which is older and also routes to {backend.Name}: the older Ingress's apply (put policy annotations on the Service when it is shared)",
                ingress.Ref,
                ingress.Origin,
                $"{rule.Field}.backend"));
        }
    }
}
