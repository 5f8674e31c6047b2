using System.Collections.Immutable;
using System.Globalization;
using k8s.Models;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Endpoints;

/// <summary>
/// Turns an Ingress backend (Service + port) into a <see cref="Backend"/> with pod endpoints. The port chain is
/// Ingress port (name or number) → Service port → its name → the EndpointSlice port of that name → the number on
/// the pod. Port numbers always come from the slice: a named targetPort may differ per pod.
/// </summary>
/// <remarks>
/// <paramref name="defaultReach"/> is how Services without <c>onehop.dev/reach</c> are reached;
/// <paramref name="reachability"/> is what OneHop's connect probes found, for the ones in auto mode.
/// <paramref name="tlsPolicy"/> gives a Service port's TLS policy (Gateway API's BackendTLSPolicy): its pods are then
/// reached over TLS (HTTP/1.1 becomes https, h2c becomes h2) and verified as it says.
/// </remarks>
internal sealed class ServiceBackendResolver(
    ClusterState state,
    EndpointSliceIndex slices,
    BackendPolicy defaultPolicy,
    List<Diagnostic> diagnostics,
    TranslationCache? cache = null,
    ReachMode defaultReach = ReachMode.Pods,
    PodReachability? reachability = null,
    Func<ObjectKey, string?, BackendTls?>? tlsPolicy = null)
{
    private readonly Dictionary<string, Backend> _backends = new(StringComparer.Ordinal);
    private readonly Dictionary<ObjectKey, ImmutableArray<PolicySetting>> _serviceSettings = [];
    private readonly HashSet<ObjectKey> _portsChecked = [];
    private readonly ImmutableHashSet<ObjectKey> _gated = ReadinessGate.RoutablePods(state);

    /// <summary>The path OneHop asks kube-proxy's health server for (it answers every path; <c>/healthz</c> is what cloud load balancers ask).</summary>
    private const string NodeHealthPath = "/healthz";

    private readonly SortedDictionary<string, ReachProbeTarget> _reachTargets = new(StringComparer.Ordinal);

    public IEnumerable<Backend> Backends => _backends.Values;

    /// <summary>Per node, the pod the reachability prober connects to: the lowest ready pod of a Service in auto mode.</summary>
    public ImmutableArray<ReachProbeTarget> ReachTargets => [.. _reachTargets.Values];

    /// <summary>Reports to <paramref name="errors"/> when <paramref name="reference"/> names no Service or no port of it.</summary>
    public void Validate(BackendRef reference, ObjectRef owner, ObjectOrigin origin, string field, List<Diagnostic> errors)
    {
        var service = new ObjectRef(KubeKinds.Service, reference.Namespace, reference.Service);
        switch (TranslationGuard.Run(() => Lookup(reference), () => (null, null, null), errors, service, state.OriginOf(service)))
        {
            case (null, _, _):
                errors.Add(Diagnostic.Error(DiagnosticCodes.UnknownService, $"service {reference.Namespace}/{reference.Service} does not exist; requests get 503 until it does", owner, origin, $"{field}.service.name"));
                break;
            case (_, null, var missing):
                errors.Add(Diagnostic.Error(DiagnosticCodes.UnknownServicePort, $"{missing}; requests get 503", owner, origin, $"{field}.service.port"));
                break;
        }
    }

    /// <summary>
    /// The backend for <paramref name="reference"/>. A reference to a missing Service or port still yields a backend
    /// (without endpoints, with the problem spelled out) so that its requests get a 503 that says why.
    /// </summary>
    /// <param name="transport">
    /// For an L4 listener, <c>TCP</c> or <c>UDP</c>: only a Service port of that protocol matches, and the backend's id
    /// starts with it (<c>udp/kube-system/kube-dns:53</c>), apart from the HTTP backend of the same port. Null for HTTP.
    /// </param>
    public Backend Resolve(BackendRef reference, ImmutableArray<PolicySetting> ingressSettings, string? transport = null)
    {
        var service = new ObjectRef(KubeKinds.Service, reference.Namespace, reference.Service);
        var prefix = IdPrefix(transport);
        return TranslationGuard.Run(
            () => ResolveChecked(reference, ingressSettings, transport),
            () => Remember(new Backend(prefix + reference, prefix + reference, BackendKind.Service, BackendProtocol.Http, defaultPolicy, [], $"OneHop could not read {service}")),
            diagnostics,
            service,
            state.OriginOf(service));
    }

    /// <summary>
    /// Why an L4 listener's <paramref name="reference"/> cannot carry traffic (no such Service, or no port of
    /// <paramref name="transport"/>), as a diagnostic code and message; null when it can.
    /// </summary>
    public (string Code, string Message)? Problem(BackendRef reference, string transport)
    {
        var service = new ObjectRef(KubeKinds.Service, reference.Namespace, reference.Service);
        return TranslationGuard.Run(() => Lookup(reference, transport), () => (null, null, null), diagnostics, service, state.OriginOf(service)) switch
        {
            (null, _, _) => (DiagnosticCodes.UnknownService, $"service {reference.Namespace}/{reference.Service} does not exist; connections are closed until it does"),
            (_, null, var missing) => (DiagnosticCodes.UnknownServicePort, $"{missing}; connections are closed"),
            _ => null,
        };
    }

    /// <summary>True when the Service of <paramref name="reference"/> says its port's protocol (annotation or appProtocol).</summary>
    public bool DeclaresProtocol(BackendRef reference) => Lookup(reference) is ({ } service, { } port, _)
        && (!string.IsNullOrEmpty(port.AppProtocol) || service.Metadata.Annotations?.ContainsKey(BackendProtocols.Annotation) == true);

    private static string IdPrefix(string? transport) => transport is null ? string.Empty : $"{transport.ToLowerInvariant()}/";

    private Backend ResolveChecked(BackendRef reference, ImmutableArray<PolicySetting> ingressSettings, string? transport)
    {
        var serviceKey = new ObjectKey(reference.Namespace, reference.Service);
        var prefix = IdPrefix(transport);
        var (service, port, missing) = Lookup(reference, transport);
        if (service is null)
        {
            var id = prefix + reference;
            return Remember(new Backend(id, id, BackendKind.Service, BackendProtocol.Http, Policy(null, ingressSettings), [], $"service {serviceKey} does not exist"));
        }

        if (port is null)
        {
            var id = prefix + reference;
            return Remember(new Backend(id, id, BackendKind.Service, BackendProtocol.Http, Policy(service, ingressSettings), [], missing));
        }

        var backendId = $"{prefix}{serviceKey}:{port.Port.ToString(CultureInfo.InvariantCulture)}";
        if (_backends.TryGetValue(backendId, out var known))
        {
            return known;
        }

        var protocol = Protocol(service, port);
        var tls = transport is null ? tlsPolicy?.Invoke(serviceKey, port.Name) : null;
        if (tls is not null)
        {
            protocol = protocol switch { BackendProtocol.Http => BackendProtocol.Https, BackendProtocol.H2c => BackendProtocol.H2, _ => protocol };
        }

        var serviceRef = new ObjectRef(KubeKinds.Service, serviceKey);
        if (service.Spec?.Type == "ExternalName")
        {
            var externalName = service.Spec.ExternalName;
            ImmutableArray<BackendEndpoint> external = string.IsNullOrEmpty(externalName)
                ? []
                : [new BackendEndpoint(externalName, port.Port, EndpointState.Ready)];
            return Remember(new Backend(backendId, backendId, BackendKind.ExternalName, protocol, Policy(service, ingressSettings), external) { Tls = tls });
        }

        var endpoints = Endpoints(serviceKey, port, transport ?? "TCP");
        if (endpoints.IsEmpty)
        {
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.NoEndpoints,
                $"port {port.Port} has no ready or serving endpoints; requests get 503",
                serviceRef,
                state.OriginOf(serviceRef)));
        }

        var mode = Reach(service, serviceRef);
        var (reach, reason) = (mode == ReachMode.NodePorts ? BackendReach.NodePorts : BackendReach.Pods, (string?)null);
        if (mode == ReachMode.Auto)
        {
            AddReachTargets(endpoints);
            (reach, reason) = AutoReach.Decide(endpoints, port.NodePort is > 0 and <= 65535 && transport != "UDP", reachability ?? PodReachability.Empty);
        }

        var policy = Policy(service, ingressSettings);
        if (reach == BackendReach.NodePorts)
        {
            var healthPort = HealthCheckNodePort(service);
            endpoints = port.NodePort is > 0 and <= 65535 && transport != "UDP"
                ? NodePortEndpoints.From(endpoints, port.NodePort.Value, state, problem => diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.NoEndpoints, problem, serviceRef, state.OriginOf(serviceRef))), healthPort)
                : [];
            if (healthPort is not null)
            {
                // kube-proxy answers 200 on any path while the node holds a ready pod of the Service, 503 otherwise: the
                // Service's own probe settings (interval, thresholds) are kept, its path is meant for pods.
                policy = policy with { Probe = (policy.Probe ?? HealthProbe.For(NodeHealthPath)) with { Path = NodeHealthPath } };
            }

            if (port.NodePort is not (> 0 and <= 65535))
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidAnnotation,
                    $"reach nodeports needs a nodePort on port {port.Port} (type NodePort or LoadBalancer); requests get 503",
                    serviceRef,
                    state.OriginOf(serviceRef),
                    $"metadata.annotations[{NodePortEndpoints.Annotation}]"));
            }
        }

        return Remember(new Backend(backendId, backendId, BackendKind.Service, protocol, policy, endpoints) { Reach = reach, ReachReason = reason, Tls = tls });
    }

    /// <summary>kube-proxy's health port for <c>externalTrafficPolicy: Local</c>; null with <c>Cluster</c> (every node forwards, none has a health port).</summary>
    private static int? HealthCheckNodePort(V1Service service) =>
        service.Spec?.ExternalTrafficPolicy == "Local" && service.Spec.HealthCheckNodePort is > 0 and <= 65535 and var port ? port : null;

    /// <summary>The Service's <c>onehop.dev/reach</c>, else the default; a value that is none of the modes is reported and means pods.</summary>
    private ReachMode Reach(V1Service service, ObjectRef serviceRef)
    {
        if (service.Metadata.Annotations?.TryGetValue(NodePortEndpoints.Annotation, out var text) != true)
        {
            return defaultReach;
        }

        if (ReachModes.Parse(text) is { } mode)
        {
            return mode;
        }

        diagnostics.Add(Diagnostic.Warning(
            DiagnosticCodes.InvalidAnnotation,
            $"'{text}' is not {ReachModes.Names}; OneHop sends to the pod IPs",
            serviceRef,
            state.OriginOf(serviceRef),
            $"metadata.annotations[{NodePortEndpoints.Annotation}]"));
        return ReachMode.Pods;
    }

    /// <summary>Keeps, per node, the lowest ready pod of <paramref name="pods"/> as that node's probe target.</summary>
    private void AddReachTargets(ImmutableArray<BackendEndpoint> pods)
    {
        foreach (var pod in pods.Where(p => p.State == EndpointState.Ready && p.Node is { Length: > 0 }))
        {
            // Pods are sorted by address, so the first one seen on a node is its lowest of this Service.
            if (!_reachTargets.TryGetValue(pod.Node!, out var known) || string.CompareOrdinal(pod.Id, $"{known.Address}:{known.Port}") < 0)
            {
                _reachTargets[pod.Node!] = new ReachProbeTarget(pod.Node!, pod.Address, pod.Port);
            }
        }
    }

    private BackendProtocol Protocol(V1Service service, V1ServicePort port)
    {
        if (service.Metadata.Annotations?.TryGetValue(BackendProtocols.Annotation, out var text) == true)
        {
            if (text is not null && BackendProtocols.FromAnnotation(text) is { } chosen)
            {
                return chosen;
            }

            var reference = new ObjectRef(KubeKinds.Service, service.Metadata.NamespaceProperty ?? string.Empty, service.Metadata.Name);
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.InvalidAnnotation,
                $"'{text}' is not http, https, h2c, h2, grpc or grpcs; the port's appProtocol decides",
                reference,
                state.OriginOf(reference),
                $"metadata.annotations[{BackendProtocols.Annotation}]"));
        }

        return BackendProtocols.FromAppProtocol(port.AppProtocol);
    }

    /// <summary>
    /// The Service and its port that <paramref name="reference"/> names; when the port is missing or unusable, why. With a
    /// <paramref name="transport"/> (L4), a port number matches only a port of that protocol (DNS's 53 is there twice,
    /// TCP and UDP), and a named port of another protocol is refused.
    /// </summary>
    private (V1Service? Service, V1ServicePort? Port, string? Missing) Lookup(BackendRef reference, string? transport = null)
    {
        var key = new ObjectKey(reference.Namespace, reference.Service);
        if (!state.Services.TryGetValue(key, out var service))
        {
            return (null, null, null);
        }

        if (_portsChecked.Add(key))
        {
            CheckPorts(key, service);
        }

        var port = service.Spec?.Ports?.FirstOrDefault(p => p is not null && (reference.PortNumber is { } n ? p.Port == n && (transport is null || ProtocolOf(p) == transport) : p.Name == reference.PortName));
        var name = $"service {key}";
        return port is null ? (service, null, $"{name} has no {(transport is null || reference.PortName is not null ? string.Empty : transport + " ")}port {PortText(reference)}")
            : transport is not null && ProtocolOf(port) != transport ? (service, null, $"port {PortText(reference)} of {name} is {ProtocolOf(port)}; a {transport.ToLowerInvariant()} listener needs a {transport} port")
            : PortProblem(port) is { } problem ? (service, null, $"port {PortText(reference)} of {name} is unusable: {problem}")
            : (service, port, null);
    }

    /// <summary>Reports, once per Service, the ports no backend can use: null entries and numbers outside 1-65535.</summary>
    private void CheckPorts(ObjectKey key, V1Service service)
    {
        var reference = new ObjectRef(KubeKinds.Service, key);
        var ports = service.Spec?.Ports ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            if (PortProblem(ports[i]) is { } problem)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidServicePort, $"{problem}; routes to it get 503", reference, state.OriginOf(reference), $"spec.ports[{i}]"));
            }
        }
    }

    private static string? PortProblem(V1ServicePort? port) =>
        port is null ? "a port must be an object, not null"
        : port.Port is < 1 or > 65535 ? $"{port.Port} is not a port from 1 to 65535"
        : port.TargetPort?.Value is { } target && int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is < 1 or > 65535
            ? $"targetPort {target} is not a port from 1 to 65535"
            : null;

    private static string ProtocolOf(V1ServicePort port) => port.Protocol ?? "TCP";

    private static string? PortText(BackendRef reference) =>
        reference.PortName ?? reference.PortNumber?.ToString(CultureInfo.InvariantCulture);

    private ImmutableArray<BackendEndpoint> Endpoints(ObjectKey service, V1ServicePort servicePort, string protocol)
    {
        var serviceSlices = slices.SlicesOf(service);
        var key = new TranslationCache.EndpointsKey(service, servicePort.Name, servicePort.Port, servicePort.TargetPort?.Value, protocol);

        // A gated pod's entry depends on the Pod, not only on the slices the cache is keyed by: never cached.
        var cacheable = cache is not null && !serviceSlices.Any(s => s.Endpoints.Any(e => Gated(s, e.Endpoint)));
        if (cacheable && cache!.TryGetEndpoints(key, serviceSlices, out var cached))
        {
            return cached;
        }

        var endpoints = Endpoints(serviceSlices, servicePort, protocol);
        if (cacheable)
        {
            cache!.PutEndpoints(key, serviceSlices, endpoints);
        }

        return endpoints;
    }

    /// <summary>True for a not-ready entry whose pod waits only for OneHop's readiness gate (<see cref="ReadinessGate"/>).</summary>
    private bool Gated(IndexedSlice slice, V1Endpoint endpoint) =>
        !_gated.IsEmpty && endpoint.TargetRef is { Kind: "Pod" } pod && EndpointConditions.Classify(endpoint.Conditions) is null
        && endpoint.Conditions?.Terminating != true
        && _gated.Contains(new ObjectKey(pod.NamespaceProperty ?? slice.Slice.Metadata.NamespaceProperty ?? string.Empty, pod.Name));

    private ImmutableArray<BackendEndpoint> Endpoints(IReadOnlyList<IndexedSlice> serviceSlices, V1ServicePort servicePort, string protocol)
    {
        var byId = new Dictionary<string, BackendEndpoint>(StringComparer.Ordinal);
        foreach (var indexed in serviceSlices)
        {
            if (SlicePort(indexed, servicePort, protocol) is not { } port)
            {
                continue;
            }

            foreach (var (address, endpoint) in indexed.Endpoints)
            {
                if ((EndpointConditions.Classify(endpoint.Conditions) ?? (Gated(indexed, endpoint) ? EndpointState.Ready : null)) is not { } endpointState)
                {
                    continue;
                }

                var candidate = new BackendEndpoint(
                    address.ToString(),
                    port,
                    endpointState,
                    endpoint.TargetRef?.Kind == "Pod" ? endpoint.TargetRef.Name : null,
                    endpoint.NodeName,
                    endpoint.Zone,
                    indexed.Weight,
                    [.. endpoint.Hints?.ForZones?.Select(z => z?.Name).OfType<string>().Where(z => z.Length > 0) ?? []]);

                // The same address can sit in two slices for a moment while they are rebalanced: keep the better state.
                if (!byId.TryGetValue(candidate.Id, out var existing) || candidate.State < existing.State)
                {
                    byId[candidate.Id] = candidate;
                }
            }
        }

        return [.. byId.Values.OrderBy(e => System.Net.IPAddress.Parse(e.Address).GetAddressBytes(), ByteOrder.Instance).ThenBy(e => e.Port)];
    }

    /// <summary>The pod's port number for <paramref name="servicePort"/> in <paramref name="slice"/>: the slice port of the same name and protocol (TCP for HTTP).</summary>
    private static int? SlicePort(IndexedSlice slice, V1ServicePort servicePort, string protocol)
    {
        int? targetNumber = servicePort.TargetPort?.Value is { } target && int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 65535 ? n : null;
        if (slice.AllPorts)
        {
            // No ports on the slice means "all ports": the Service's numeric target is the best guess.
            return targetNumber ?? servicePort.Port;
        }

        var name = servicePort.Name ?? string.Empty;
        var match = slice.Ports.FirstOrDefault(p => p.Name == name && p.Protocol == protocol);
        return match is null ? null : match.Number ?? targetNumber ?? servicePort.Port;
    }

    /// <summary>Defaults, then the Ingress's policy annotations, then the Service's own (which win).</summary>
    private BackendPolicy Policy(V1Service? service, ImmutableArray<PolicySetting> ingressSettings)
    {
        var policy = BackendPolicyReader.Apply(defaultPolicy, ingressSettings, static (_, _) => { });
        if (service is null)
        {
            return policy;
        }

        var key = new ObjectKey(service.Metadata.NamespaceProperty ?? string.Empty, service.Metadata.Name);
        if (!_serviceSettings.TryGetValue(key, out var settings))
        {
            // Read once per Service, so each bad annotation is reported once however many routes use it.
            var reference = new ObjectRef(KubeKinds.Service, key);
            var report = (string field, string message) => diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.InvalidAnnotation, message, reference, state.OriginOf(reference), field));
            settings = [.. BackendPolicyReader.FromAnnotations(service.Metadata.Annotations, KubeKinds.Service, report)];
            BackendPolicyReader.Apply(defaultPolicy, settings, report);
            _serviceSettings[key] = settings;
        }

        // Kubernetes' own trafficDistribution asks for zone preference; OneHop's explicit annotation still wins.
        if (service.Spec?.TrafficDistribution is "PreferSameZone" or "PreferClose" or "PreferSameNode")
        {
            policy = policy with { ZoneAware = true };
        }

        return BackendPolicyReader.Apply(policy, settings, static (_, _) => { });
    }

    private Backend Remember(Backend backend)
    {
        _backends.TryAdd(backend.Id, backend);
        return _backends[backend.Id];
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y)
        {
            var byLength = x!.Length.CompareTo(y!.Length);
            return byLength != 0 ? byLength : x.AsSpan().SequenceCompareTo(y);
        }
    }
}
