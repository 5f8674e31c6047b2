using System.Collections.Immutable;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// Gateway API's BackendTLSPolicies resolved to a <see cref="BackendTls"/> per Service (or per named port of one,
/// <c>sectionName</c>): the CA bundle from the ConfigMaps' <c>ca.crt</c> (or the system's roots with
/// <c>wellKnownCACertificates: System</c>), the hostname sent as SNI and checked, or the subjectAltNames checked instead.
/// A policy whose references do not resolve still attaches, with its problem: connections under it fail (5xx), as the
/// spec requires, and never fall back to unverified TLS. When two policies target the same port the older one wins and
/// the other is reported Conflicted. Pure: the PEM is parsed, nothing is read.
/// </summary>
internal sealed class BackendTlsPolicies
{
    private readonly Dictionary<(ObjectKey Service, string? Section), BackendTls> _byTarget = [];
    private readonly List<(ObjectRef Ref, long? Generation, HashSet<ObjectKey> Targets, Verdict Verdict)> _policies = [];

    public static readonly BackendTlsPolicies Empty = new();

    /// <summary>The policy of a Service port: the one naming the port first, else the one for the whole Service; null for none.</summary>
    public BackendTls? For(ObjectKey service, string? portName) =>
        portName is not null && _byTarget.TryGetValue((service, portName), out var byPort) ? byPort
        : _byTarget.GetValueOrDefault((service, null));

    public static BackendTlsPolicies From(ClusterState state, List<Diagnostic> diagnostics)
    {
        var result = new BackendTlsPolicies();
        var ordered = state.BackendTlsPolicies.Values
            .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal);
        foreach (var policy in ordered)
        {
            var reference = new ObjectRef(KubeKinds.BackendTlsPolicy, policy.Metadata.NamespaceProperty ?? string.Empty, policy.Metadata.Name);
            var report = (string field, string message) => diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidBackendTlsPolicy, message, reference, state.OriginOf(reference), field));
            if (policy.Spec is null)
            {
                // Targets unknown: nothing to attach to, so nothing changes for any Service.
                report("spec", "a BackendTLSPolicy needs a spec with targetRefs and validation; it is not used");
                continue;
            }

            var verdict = new Verdict();
            var tls = Resolve(policy, reference, state, report, verdict);
            foreach (var (field, message) in TlsOptions.Ignored(policy.Spec.Options, "spec.options"))
            {
                // Ignored, not refused: the policy's validation holds as written, and its status stays what it says.
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnsupportedFeature, message, reference, state.OriginOf(reference), field));
            }

            var targets = policy.Spec.TargetRefs ?? [];
            var served = new HashSet<ObjectKey>();
            result._policies.Add((reference, policy.Metadata.Generation, served, verdict));
            for (var i = 0; i < targets.Count; i++)
            {
                var target = targets[i];
                if (target is null || !string.IsNullOrEmpty(target.Group) || target.Kind != KubeKinds.Service)
                {
                    report($"spec.targetRefs[{i}]", $"{target?.Kind ?? "(none)"} is not a target OneHop supports (core Service); InvalidKind");
                    continue;
                }

                var key = (new ObjectKey(reference.Namespace, target.Name), string.IsNullOrEmpty(target.SectionName) ? null : target.SectionName);
                served.Add(key.Item1);
                if (!result._byTarget.TryAdd(key, tls))
                {
                    verdict.Conflicted ??= $"Service {key.Item1}{(key.Item2 is null ? string.Empty : $" port {key.Item2}")} already has an older BackendTLSPolicy ({result._byTarget[key].Source})";
                    diagnostics.Add(Diagnostic.Warning(
                        DiagnosticCodes.PolicyConflict,
                        $"Service {key.Item1}{(key.Item2 is null ? string.Empty : $" port {key.Item2}")} already has an older BackendTLSPolicy ({result._byTarget[key].Source}); this one is not used (Conflicted)",
                        reference,
                        state.OriginOf(reference),
                        $"spec.targetRefs[{i}]"));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Each policy's status for the Gateways whose routes reach its targets (<paramref name="gatewaysByService"/>): the
    /// spec's ancestors. A policy that no route of OneHop's reaches has none, and no status of OneHop's.
    /// </summary>
    public ImmutableArray<PolicyStatusReport> Reports(IReadOnlyDictionary<ObjectKey, SortedSet<ObjectRef>> gatewaysByService) =>
        [.. _policies
            .Select(p => (p, Ancestors: p.Targets.SelectMany(t => gatewaysByService.GetValueOrDefault(t) ?? []).Distinct().Order().ToImmutableArray()))
            .Where(p => !p.Ancestors.IsEmpty)
            .OrderBy(p => p.p.Ref)
            .Select(p => new PolicyStatusReport(p.p.Ref, p.p.Generation, p.Ancestors, p.p.Verdict.Conditions()))];

    private static BackendTls Resolve(BackendTlsPolicy policy, ObjectRef reference, ClusterState state, Action<string, string> diagnose, Verdict verdict)
    {
        // Every finding but a CA reference's makes the policy Invalid; those CaBundle reports are ResolvedRefs findings.
        var report = (string field, string message) =>
        {
            diagnose(field, message);
            verdict.Invalid ??= $"{field}: {message}";
        };
        var source = $"BackendTLSPolicy {reference.Key}";
        var validation = policy.Spec.Validation;
        if (validation is null)
        {
            report("spec.validation", "a BackendTLSPolicy needs validation (caCertificateRefs or wellKnownCACertificates, and hostname); connections to its targets fail");
            return new BackendTls { Source = source, Problem = "the policy has no validation" };
        }

        string? problem = null;
        var hostname = validation.Hostname?.ToLowerInvariant();
        if (string.IsNullOrEmpty(hostname) || Uri.CheckHostName(hostname) != UriHostNameType.Dns || hostname.Contains('*', StringComparison.Ordinal))
        {
            report("spec.validation.hostname", $"'{validation.Hostname}' is not a DNS name without wildcard; connections to its targets fail");
            problem = "the policy's hostname is invalid";
            hostname = null;
        }

        var names = ImmutableArray.CreateBuilder<string>();
        var uris = ImmutableArray.CreateBuilder<string>();
        var alternatives = validation.SubjectAltNames ?? [];
        for (var i = 0; i < alternatives.Count; i++)
        {
            switch (alternatives[i])
            {
                case { Type: "Hostname", Hostname: { Length: > 0 } name }:
                    names.Add(name.ToLowerInvariant());
                    break;
                case { Type: "URI", Uri: { Length: > 0 } uri } when Uri.TryCreate(uri, UriKind.Absolute, out _):
                    uris.Add(uri);
                    break;
                case { Type: "URI" }:
                    report($"spec.validation.subjectAltNames[{i}]", $"'{alternatives[i].Uri}' is not an absolute URI; connections to its targets fail");
                    problem ??= "a URI subjectAltName is invalid";
                    break;
                default:
                    report($"spec.validation.subjectAltNames[{i}]", "a subjectAltName needs type Hostname with a hostname, or type URI with a uri");
                    problem ??= "a subjectAltName is invalid";
                    break;
            }
        }

        var refs = validation.CaCertificateRefs ?? [];
        string? pem = null;
        if (refs.Count > 0 && !string.IsNullOrEmpty(validation.WellKnownCACertificates))
        {
            report("spec.validation", "caCertificateRefs and wellKnownCACertificates are exclusive; connections to its targets fail (Accepted: Invalid)");
            problem ??= "caCertificateRefs and wellKnownCACertificates are both set";
        }
        else if (refs.Count > 0)
        {
            pem = CaBundle(refs, reference.Namespace, state, diagnose, verdict);
            problem ??= pem is null ? "no caCertificateRef resolves to a CA certificate (NoValidCACertificate)" : null;
            verdict.NoValidCa = pem is null;
        }
        else if (validation.WellKnownCACertificates != "System")
        {
            report("spec.validation.wellKnownCACertificates", string.IsNullOrEmpty(validation.WellKnownCACertificates)
                ? "a BackendTLSPolicy needs caCertificateRefs or wellKnownCACertificates: System; connections to its targets fail"
                : $"'{validation.WellKnownCACertificates}' is not System, the only set OneHop knows; connections to its targets fail (Accepted: Invalid)");
            problem ??= "no CA certificates are named";
        }

        return new BackendTls { CaPem = pem, ServerName = hostname, SubjectAltNames = names.ToImmutable(), SubjectAltUris = uris.ToImmutable(), Source = source, Problem = problem };
    }

    /// <summary>The PEM of every reference that resolves (a ConfigMap of the namespace with certificates under <c>ca.crt</c>); null when none does.</summary>
    private static string? CaBundle(IList<LocalObjectReference> refs, string ns, ClusterState state, Action<string, string> diagnose, Verdict verdict)
    {
        void Report(string field, string message, string reason)
        {
            diagnose(field, message);
            verdict.Unresolved ??= (reason, $"{field}: {message}");
        }

        var bundle = new List<string>();
        for (var i = 0; i < refs.Count; i++)
        {
            var field = $"spec.validation.caCertificateRefs[{i}]";
            var caRef = refs[i];
            if (caRef is null || !string.IsNullOrEmpty(caRef.Group) || caRef.Kind != KubeKinds.ConfigMap)
            {
                Report(field, $"{caRef?.Kind ?? "(none)"} is not a CA certificate kind OneHop supports (core ConfigMap); InvalidKind", "InvalidKind");
                continue;
            }

            if (!state.ConfigMaps.TryGetValue(new ObjectKey(ns, caRef.Name), out var map))
            {
                Report(field, $"ConfigMap {ns}/{caRef.Name} does not exist; InvalidCACertificateRef", "InvalidCACertificateRef");
                continue;
            }

            if (map.Data?.TryGetValue(KubeKinds.CaBundleKey, out var text) != true || string.IsNullOrWhiteSpace(text))
            {
                Report(field, $"ConfigMap {ns}/{caRef.Name} has no {KubeKinds.CaBundleKey}; InvalidCACertificateRef", "InvalidCACertificateRef");
                continue;
            }

            if (CaCertificates.Problem(text!) is { } reason)
            {
                Report(field, $"{KubeKinds.CaBundleKey} of ConfigMap {ns}/{caRef.Name} {reason}; InvalidCACertificateRef", "InvalidCACertificateRef");
                continue;
            }

            bundle.Add(text!);
        }

        return bundle.Count == 0 ? null : string.Join('\n', bundle);
    }

    /// <summary>What a policy's findings make of its conditions, by the spec's reasons.</summary>
    private sealed class Verdict
    {
        public string? Invalid { get; set; }

        public string? Conflicted { get; set; }

        public bool NoValidCa { get; set; }

        public (string Reason, string Message)? Unresolved { get; set; }

        /// <summary>Accepted (Conflicted, then NoValidCACertificate, then Invalid, else Accepted) and ResolvedRefs.</summary>
        public ImmutableArray<GatewayCondition> Conditions() =>
        [
            Conflicted is { } conflicted ? GatewayCondition.False("Accepted", "Conflicted", conflicted)
                : NoValidCa ? GatewayCondition.False("Accepted", "NoValidCACertificate", "no caCertificateRef resolves to a CA certificate")
                : Invalid is { } invalid ? GatewayCondition.False("Accepted", "Invalid", invalid)
                : GatewayCondition.True("Accepted", "Accepted"),
            Unresolved is { } unresolved ? GatewayCondition.False("ResolvedRefs", unresolved.Reason, unresolved.Message) : GatewayCondition.True("ResolvedRefs", "ResolvedRefs"),
        ];
    }
}
