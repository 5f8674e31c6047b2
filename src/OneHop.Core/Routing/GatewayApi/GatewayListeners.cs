using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// OneHop's GatewayClasses (controllerName <see cref="GatewayApiNames.ControllerName"/>, optionally one by name) and their
/// Gateways' listeners, validated: protocol, port, hostname, allowed route kinds, conflicts between listeners of a
/// port. Each finding is both a diagnostic and the listener's status condition.
/// </summary>
internal sealed partial class GatewayListeners
{
    /// <summary>The protocols whose listeners OneHop serves today: HTTP ones by Kestrel, the others by the L4 data plane.</summary>
    private static readonly string[] Served = ["HTTP", "HTTPS", "TCP", "UDP", "TLS"];

    private readonly Dictionary<ObjectKey, List<AttachableListener>> _byGateway = [];
    private readonly HashSet<ObjectKey> _insecure = [];
    private readonly Dictionary<ObjectKey, GatewayCondition> _backendTls = [];
    private readonly Dictionary<ObjectKey, (Gateway Gateway, GatewayAddresses.Verdict Addresses, List<(string Name, List<GatewayCondition> Conditions, ImmutableArray<string> Kinds)> Listeners)> _reports = [];

    // The ListenerSets that name one of OneHop's Gateways: the Gateway, whether it took them (or why not), their listeners.
    private readonly Dictionary<ObjectKey, (ListenerSet Set, ObjectKey Gateway, bool Accepted, ImmutableArray<GatewayCondition> Conditions, List<(string Name, List<GatewayCondition> Conditions, ImmutableArray<string> Kinds)> Listeners)> _sets = [];

    public GatewayListeners(ClusterState state, GatewaySettings settings, List<Diagnostic> diagnostics)
    {
        var className = settings.ClassName;
        var classes = new List<GatewayClassStatusReport>();
        var ours = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, gatewayClass) in state.GatewayClasses.OrderBy(p => p.Key))
        {
            if (gatewayClass.Spec?.ControllerName != GatewayApiNames.ControllerName || (className is not null && key.Name != className))
            {
                continue;
            }

            ours.Add(key.Name);
            classes.Add(new GatewayClassStatusReport(new ObjectRef(KubeKinds.GatewayClass, key), gatewayClass.Metadata?.Generation, GatewayCondition.True("Accepted", "Accepted")));
        }

        Classes = [.. classes];
        foreach (var (key, gateway) in state.Gateways.OrderBy(p => p.Key))
        {
            if (gateway.Spec?.GatewayClassName is not { } gatewayClassName || !ours.Contains(gatewayClassName))
            {
                continue;
            }

            var reference = new ObjectRef(KubeKinds.Gateway, key);
            var origin = state.OriginOf(reference);
            var listeners = new List<AttachableListener>();
            var all = (gateway.Spec.Listeners ?? []).Select(l => l ?? new GatewayListener()).ToList();
            var frontend = new FrontendValidations(state, reference, origin, gateway.Spec.Tls?.Frontend, diagnostics);
            var addresses = GatewayParameters.Refusal(gateway.Spec.Infrastructure) ?? GatewayAddresses.Check(gateway.Spec.Addresses, settings);
            var (backendCertificate, backendTls) = BackendClientCertificate.Resolve(state, reference, origin, gateway.Spec.Tls?.Backend, diagnostics);
            if (backendTls is not null)
            {
                _backendTls[key] = backendTls;
            }

            var scope = new Scope(state, reference, frontend, addresses, backendCertificate, listeners, diagnostics);
            var served = new List<GatewayListener>();
            var reports = Validate(scope, reference, origin, all, served);
            if ((addresses.Accepted ?? addresses.Programmed) is { } refused)
            {
                // Its addresses cannot be served, or it asks for parameters: none of its listeners is, and each says why.
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidGatewayListener, refused.Message, reference, origin, addresses.Field));
                foreach (var (_, conditions, _) in reports.Where(r => !r.Item2.Any(c => c.Type == "Accepted")))
                {
                    conditions.Add(GatewayCondition.True("Accepted", "Accepted"));
                    conditions.Add(GatewayCondition.False("Programmed", refused.Reason, refused.Message));
                }

                listeners.Clear();
            }

            // A Gateway with no listeners of its own (GEP-1713: its listeners all come from ListenerSets) is valid as it is.
            AttachListenerSets(scope, gateway, served, parentAccepted: (addresses.Accepted ?? addresses.Programmed) is null && (listeners.Count > 0 || all.Count == 0));
            _byGateway[key] = listeners;
            _reports[key] = (gateway, addresses, reports);
            if (frontend.InsecureFallback)
            {
                _insecure.Add(key);
            }
        }
    }

    public ImmutableArray<GatewayClassStatusReport> Classes { get; }

    /// <summary>True when the Gateway is one of OneHop's (its class is ours), whatever its listeners.</summary>
    public bool IsOurs(ObjectKey gateway) => _byGateway.ContainsKey(gateway);

    public IReadOnlyList<AttachableListener> Of(ObjectKey gateway) => _byGateway.TryGetValue(gateway, out var listeners) ? listeners : [];

    public IEnumerable<AttachableListener> All => _byGateway.Values.SelectMany(l => l);

    /// <summary>
    /// Validates the listeners of one owner (the Gateway, or a ListenerSet of it): each against the owner's earlier ones
    /// and the valid ones that came before the owner (<paramref name="before"/>: the Gateway's, then earlier ListenerSets'),
    /// as the spec's listener precedence says. The valid ones join the scope's attachable listeners and <paramref name="before"/>.
    /// </summary>
    private static List<(string Name, List<GatewayCondition> Conditions, ImmutableArray<string> Kinds)> Validate(Scope scope, ObjectRef owner, ObjectOrigin origin, List<GatewayListener> all, List<GatewayListener> before)
    {
        var reports = new List<(string, List<GatewayCondition>, ImmutableArray<string>)>();
        for (var i = 0; i < all.Count; i++)
        {
            var listener = all[i];
            var field = $"spec.listeners[{i}]";
            var conditions = new List<GatewayCondition>();
            var kinds = SupportedKinds(listener, conditions);
            // A Gateway's listener is measured against all its earlier ones; a ListenerSet's against the valid ones before it.
            var problem = Problem(listener, all, i, owner == scope.Gateway ? all.Take(i).ToList() : [.. before]);
            if (problem is { } p)
            {
                scope.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidGatewayListener, $"listener {listener.Name}: {p.Message}", owner, origin, field));
                conditions.Add(GatewayCondition.False("Accepted", p.Reason, p.Message));
                var conflict = p.Reason.EndsWith("Conflict", StringComparison.Ordinal);
                if (conflict)
                {
                    conditions.Add(GatewayCondition.True("Conflicted", p.Reason, p.Message));
                }

                conditions.Add(GatewayCondition.False("Programmed", conflict ? p.Reason : "Invalid", p.Message));
                reports.Add((listener.Name, conditions, kinds));
                continue;
            }

            var validation = listener.Protocol == "HTTPS" ? scope.Frontend.For(listener.Port) : FrontendValidations.Resolution.None;
            if (validation.Unresolved is { } unresolved)
            {
                conditions.Add(unresolved);
            }

            if (validation.NoneValid)
            {
                // Served without the validation it asks for, it would let in clients it must refuse: not served.
                var message = $"no caCertificateRef of the client certificate validation for port {listener.Port} resolves";
                conditions.Add(GatewayCondition.False("Accepted", "NoValidCACertificate", message));
                conditions.Add(GatewayCondition.False("Programmed", "Invalid", message));
                reports.Add((listener.Name, conditions, kinds));
                continue;
            }

            foreach (var (optionField, message) in TlsOptions.Ignored(listener.Tls?.Options, $"{field}.tls.options"))
            {
                scope.Diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnsupportedFeature, $"listener {listener.Name}: {message}", owner, origin, optionField));
            }

            var from = listener.AllowedRoutes?.Namespaces?.From ?? "Same";
            var terminates = TerminatesTls(listener);
            var certificates = terminates ? Certificates(scope.State, owner, origin, listener, field, conditions, scope.Diagnostics) : [];
            scope.Listeners.Add(new AttachableListener(scope.Gateway, listener.Name, listener.Port, listener.Protocol, listener.Hostname, from, listener.AllowedRoutes?.Namespaces?.Selector, kinds)
            {
                Set = owner == scope.Gateway ? null : owner,
                Certificate = certificates.IsEmpty ? null : certificates[0],
                Certificates = certificates,
                Frontend = validation.Validation,
                Addresses = scope.Addresses.Addresses,
                TerminatesTls = terminates && listener.Protocol == "TLS",
                BackendCertificate = scope.BackendCertificate,
            });
            before.Add(listener);
            reports.Add((listener.Name, conditions, kinds));
        }

        return reports;
    }

    /// <summary>Each Gateway's status once routes have attached: per listener its conditions and attachedRoutes.</summary>
    public ImmutableArray<GatewayStatusReport> Reports()
    {
        var reports = new List<GatewayStatusReport>();
        foreach (var (key, (gateway, addresses, listeners)) in _reports.OrderBy(p => p.Key))
        {
            var attachable = _byGateway[key].Where(l => l.Set is null).ToDictionary(l => l.Name, StringComparer.Ordinal);
            var statuses = ListenerStatuses(listeners, attachable);
            // No listeners of its own is not an invalid listener: GEP-1713 lets a Gateway take all its listeners from ListenerSets.
            var anyValid = attachable.Count > 0 || listeners.Count == 0;
            var allValid = attachable.Count == listeners.Count;
            ImmutableArray<GatewayCondition> conditions = addresses.Programmed is { } unusable
                ? [addresses.Accepted ?? GatewayCondition.True("Accepted", "Accepted"), unusable]
                : anyValid
                ? [allValid ? GatewayCondition.True("Accepted", "Accepted") : GatewayCondition.True("Accepted", "ListenersNotValid", "some listeners are not valid; the others serve"), GatewayCondition.True("Programmed", "Programmed")]
                : [GatewayCondition.False("Accepted", "ListenersNotValid", "no listener is valid"), GatewayCondition.False("Programmed", "Invalid", "no listener is valid")];
            if (_backendTls.TryGetValue(key, out var backendTls))
            {
                // Only with spec.tls.backend: the Gateway-level ResolvedRefs condition is about that reference alone here.
                conditions = conditions.Add(backendTls);
            }

            if (_insecure.Contains(key))
            {
                conditions = conditions.Add(GatewayCondition.True("InsecureFrontendValidationMode", "ConfigurationChanged", "spec.tls.frontend lets clients in without a valid certificate (AllowInsecureFallback)"));
            }

            reports.Add(new GatewayStatusReport(new ObjectRef(KubeKinds.Gateway, key), gateway.Metadata?.Generation, conditions, statuses)
            {
                Addresses = addresses.Addresses.IsEmpty ? null : [.. addresses.Addresses],
                AttachedListenerSets = gateway.Spec?.AllowedListeners is null ? null : _sets.Values.Count(s => s.Gateway == key && s.Accepted),
            });
        }

        return [.. reports];
    }

    /// <summary>Adds a finding about a valid listener to its status (a certificate that does not resolve).</summary>
    public void Report(AttachableListener listener, GatewayCondition condition)
    {
        var reports = listener.Set is { } set
            ? _sets.TryGetValue(set.Key, out var ofSet) ? ofSet.Listeners : null
            : _reports.TryGetValue(listener.Gateway.Key, out var report) ? report.Listeners : null;
        if (reports?.FirstOrDefault(l => l.Name == listener.Name) is { Conditions: { } conditions })
        {
            conditions.Add(condition);
        }
    }

    /// <summary>The listeners' statuses: a valid one (in <paramref name="attachable"/>) is accepted, and programmed unless a reference does not resolve.</summary>
    private static ImmutableArray<ListenerStatusReport> ListenerStatuses(List<(string Name, List<GatewayCondition> Conditions, ImmutableArray<string> Kinds)> listeners, Dictionary<string, AttachableListener> attachable) =>
    [
        .. listeners.Select(l =>
        {
            // A listener without a name (refused) is never attachable, and cannot be looked up by it.
            AttachableListener? a = null;
            var valid = l.Name is { } name && attachable.TryGetValue(name, out a);
            var unresolved = l.Conditions.FirstOrDefault(c => c.Type == "ResolvedRefs" && !c.Status);
            var conditions = valid
                ? [.. l.Conditions.Where(c => c.Type == "ResolvedRefs").Take(1), GatewayCondition.True("Accepted", "Accepted"),
                    unresolved is null ? GatewayCondition.True("Programmed", "Programmed") : GatewayCondition.False("Programmed", "Invalid", unresolved.Message)]
                : l.Conditions;
            if (!conditions.Any(c => c.Type == "ResolvedRefs"))
            {
                conditions = [.. conditions, GatewayCondition.True("ResolvedRefs", "ResolvedRefs")];
            }

            if (!conditions.Any(c => c.Type == "Conflicted"))
            {
                conditions = [.. conditions, GatewayCondition.False("Conflicted", "NoConflicts", string.Empty)];
            }

            return new ListenerStatusReport(l.Name, l.Kinds, valid ? a!.AttachedRoutes : 0, [.. conditions.OrderBy(c => c.Type, StringComparer.Ordinal)]);
        }),
    ];

    /// <summary>HTTPS listeners terminate TLS, and so do TLS listeners whose <c>tls.mode</c> is Terminate (the spec's default).</summary>
    private static bool TerminatesTls(GatewayListener listener) =>
        listener.Protocol == "HTTPS" || (listener.Protocol == "TLS" && (listener.Tls?.Mode ?? "Terminate") == "Terminate");

    /// <summary>
    /// The certificate Secrets of a listener that terminates TLS, in order: each <c>certificateRefs</c> entry a core
    /// Secret, in another namespace only by ReferenceGrant, existing. Every entry is checked, not only the first (the
    /// spec's core support): one that does not resolve is reported (<c>ResolvedRefs=False</c> for the first problem,
    /// every problem in its message and a diagnostic each) and left out, the others still count.
    /// </summary>
    private static ImmutableArray<ObjectRef> Certificates(ClusterState state, ObjectRef owner, ObjectOrigin origin, GatewayListener listener, string field, List<GatewayCondition> conditions, List<Diagnostic> diagnostics)
    {
        if (listener.Tls?.CertificateRefs is not { Count: > 0 } refs)
        {
            var missing = $"a{(listener.Protocol == "TLS" ? " TLS listener in Terminate mode" : "n HTTPS listener")} needs tls.certificateRefs";
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidGatewayListener, $"listener {listener.Name}: {missing}; its hosts get the default certificate", owner, origin, $"{field}.tls.certificateRefs"));
            conditions.Add(GatewayCondition.False("ResolvedRefs", "InvalidCertificateRef", missing));
            return [];
        }

        var resolved = ImmutableArray.CreateBuilder<ObjectRef>();
        var problems = new List<(string Reason, string Message)>();
        for (var i = 0; i < refs.Count; i++)
        {
            var (secret, problem) = Resolve(state, owner, refs[i]);
            if (problem is null)
            {
                resolved.Add(secret!);
                continue;
            }

            var message = refs.Count == 1 ? problem.Value.Message : $"certificateRefs[{i}]: {problem.Value.Message}";
            problems.Add((problem.Value.Reason, message));
            var consequence = resolved.Count > 0 || i < refs.Count - 1 ? "it is not used" : "its hosts get the default certificate";
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidGatewayListener, $"listener {listener.Name}: {problem.Value.Message}; {consequence}", owner, origin, refs.Count == 1 ? $"{field}.tls.certificateRefs" : $"{field}.tls.certificateRefs[{i}]"));
        }

        if (problems.Count > 0)
        {
            conditions.Add(GatewayCondition.False("ResolvedRefs", problems[0].Reason, string.Join("; ", problems.Select(p => p.Message))));
        }

        return resolved.ToImmutable();
    }

    /// <summary>One certificateRef: the Secret it names, or why it does not resolve (the listener's condition reason and message).</summary>
    private static (ObjectRef? Secret, (string Reason, string Message)? Problem) Resolve(ClusterState state, ObjectRef owner, SecretObjectReference? reference)
    {
        if (reference is null)
        {
            return (null, ("InvalidCertificateRef", "a certificateRef is empty (null)"));
        }

        if ((reference.Group ?? string.Empty).Length != 0 || (reference.Kind ?? KubeKinds.Secret) != KubeKinds.Secret)
        {
            return (null, ("InvalidCertificateRef", $"certificateRef {reference.Kind}.{reference.Group} is not a core Secret"));
        }

        // A ListenerSet's listener needs a ReferenceGrant from ListenerSets of its namespace, not from its Gateway's.
        var secret = new ObjectRef(KubeKinds.Secret, reference.Namespace ?? owner.Namespace, reference.Name ?? string.Empty);
        if (!new ReferenceGrants(state).Allows(owner.Kind, owner.Namespace, string.Empty, KubeKinds.Secret, secret.Namespace, secret.Name))
        {
            return (null, ("RefNotPermitted", $"Secret {secret.Key} is in another namespace and no ReferenceGrant there allows it"));
        }

        return state.Secrets.ContainsKey(secret.Key)
            ? (secret, null)
            : (null, ("InvalidCertificateRef", $"Secret {secret.Key} does not exist (OneHop reads Secrets of type kubernetes.io/tls)"));
    }

    private static ImmutableArray<string> SupportedKinds(GatewayListener listener, List<GatewayCondition> conditions)
    {
        ImmutableArray<string> defaults = listener.Protocol switch
        {
            "HTTP" or "HTTPS" => [KubeKinds.HttpRoute, KubeKinds.GrpcRoute],
            "TCP" => [KubeKinds.TcpRoute],
            "UDP" => [KubeKinds.UdpRoute],
            "TLS" => [KubeKinds.TlsRoute],
            _ => [],
        };
        if (listener.AllowedRoutes?.Kinds is not { Count: > 0 } asked)
        {
            return defaults;
        }

        var valid = asked.Where(k => k is not null && (k.Group ?? GatewayApiNames.Group) == GatewayApiNames.Group && defaults.Contains(k.Kind)).Select(k => k.Kind).Distinct().ToImmutableArray();
        if (valid.Length < asked.Count)
        {
            conditions.Add(GatewayCondition.False("ResolvedRefs", "InvalidRouteKinds", $"OneHop serves only {string.Join(", ", defaults)} on {listener.Protocol} listeners"));
        }

        return valid;
    }

    private static (string Reason, string Message)? Problem(GatewayListener listener, List<GatewayListener> all, int index, List<GatewayListener> earlier)
    {
        if (string.IsNullOrEmpty(listener.Name) || all.Take(index).Any(l => l.Name == listener.Name))
        {
            return ("UnsupportedValue", "every listener needs a name of its own");
        }

        if (!Served.Contains(listener.Protocol))
        {
            return ("UnsupportedProtocol", $"protocol {listener.Protocol} is not served by OneHop's Gateway listeners (HTTP, HTTPS, TLS, TCP and UDP are)");
        }

        if (listener.Port is < 1 or > 65535)
        {
            return ("PortUnavailable", $"port {listener.Port} is not a TCP port");
        }

        if (listener.Hostname is { } hostname && GatewayHostnames.Validate(hostname) is { } bad)
        {
            return ("UnsupportedValue", $"hostname '{hostname}' {bad}");
        }

        if (listener.Protocol == "HTTPS" && (listener.Tls?.Mode ?? "Terminate") != "Terminate")
        {
            return ("UnsupportedValue", $"tls.mode {listener.Tls!.Mode} is not served on HTTPS listeners (Terminate is)");
        }

        if (listener.Protocol == "TLS" && (listener.Tls?.Mode ?? "Terminate") is not ("Passthrough" or "Terminate"))
        {
            return ("UnsupportedValue", $"tls.mode {listener.Tls!.Mode} is not served on TLS listeners (Terminate and Passthrough are)");
        }

        foreach (var other in earlier)
        {
            // UDP is another transport: a UDP listener may share its port number with a TCP one.
            if (other.Port != listener.Port || (other.Protocol == "UDP") != (listener.Protocol == "UDP"))
            {
                continue;
            }

            if (other.Protocol != listener.Protocol)
            {
                return ("ProtocolConflict", $"port {listener.Port} is already {other.Protocol} for listener {other.Name}");
            }

            if (other.Hostname == listener.Hostname)
            {
                return ("HostnameConflict", $"listener {other.Name} already serves {(listener.Hostname ?? "every host")} on port {listener.Port}");
            }
        }

        return null;
    }
}
