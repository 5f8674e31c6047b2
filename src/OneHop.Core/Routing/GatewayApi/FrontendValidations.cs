using OneHop.Core.Diagnostics;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// A Gateway's <c>spec.tls.frontend</c> resolved per HTTPS port: the <c>perPort</c> entry of the port, else the
/// <c>default</c>. Its <c>caCertificateRefs</c> must be core ConfigMaps holding PEM certificates under <c>ca.crt</c>,
/// another namespace's only by a ReferenceGrant to Gateways; the ones that resolve form the bundle. A reference that does
/// not resolve is reported (diagnostic and the listeners' <c>ResolvedRefs=False</c> with the spec's reason); when none
/// resolves the port's HTTPS listeners are not accepted (<c>NoValidCACertificate</c>) and not served, since serving them
/// without the validation asked for would let in clients it must refuse. Each configuration is resolved (and reported) once.
/// </summary>
internal sealed class FrontendValidations
{
    private const string AllowValidOnly = "AllowValidOnly";
    private const string AllowInsecureFallback = "AllowInsecureFallback";

    private readonly ClusterState _state;
    private readonly ObjectRef _gateway;
    private readonly ObjectOrigin _origin;
    private readonly FrontendTlsConfig? _config;
    private readonly List<Diagnostic> _diagnostics;
    private readonly Dictionary<string, Resolution> _resolved = new(StringComparer.Ordinal);

    public FrontendValidations(ClusterState state, ObjectRef gateway, ObjectOrigin origin, FrontendTlsConfig? config, List<Diagnostic> diagnostics)
    {
        _state = state;
        _gateway = gateway;
        _origin = origin;
        _config = config;
        _diagnostics = diagnostics;
        IEnumerable<FrontendTlsValidation?> all = [config?.Default?.Validation, .. (config?.PerPort ?? []).Select(p => p?.Tls?.Validation)];
        InsecureFallback = all.Any(v => v?.Mode == AllowInsecureFallback);
    }

    /// <summary>True when any of the Gateway's validations lets clients in without a valid certificate (the Gateway's InsecureFrontendValidationMode condition).</summary>
    public bool InsecureFallback { get; }

    /// <summary>What the HTTPS listeners of <paramref name="port"/> validate; <see cref="Resolution.None"/> when nothing is asked.</summary>
    public Resolution For(int port)
    {
        if (_config is null)
        {
            return Resolution.None;
        }

        var perPort = _config.PerPort ?? [];
        for (var i = 0; i < perPort.Count; i++)
        {
            if (perPort[i] is { } entry && entry.Port == port)
            {
                return Resolve($"spec.tls.frontend.perPort[{i}].tls.validation", entry.Tls?.Validation);
            }
        }

        return Resolve("spec.tls.frontend.default.validation", _config.Default?.Validation);
    }

    private Resolution Resolve(string field, FrontendTlsValidation? validation)
    {
        if (validation is null)
        {
            return Resolution.None;
        }

        if (_resolved.TryGetValue(field, out var known))
        {
            return known;
        }

        var insecure = validation.Mode == AllowInsecureFallback;
        if (validation.Mode is { } mode && mode != AllowValidOnly && mode != AllowInsecureFallback)
        {
            // Fail closed: an unknown mode validates as strictly as the default.
            Report($"{field}.mode", $"mode '{mode}' is not AllowValidOnly or AllowInsecureFallback; client certificates are validated as AllowValidOnly");
        }

        var bundle = new List<string>();
        var sources = new List<string>();
        (string Reason, string Message)? first = null;
        var refs = validation.CaCertificateRefs ?? [];
        if (refs.Count == 0)
        {
            first = ("InvalidCACertificateRef", "validation needs at least one caCertificateRef");
            Report($"{field}.caCertificateRefs", first.Value.Message);
        }

        for (var i = 0; i < refs.Count; i++)
        {
            var (pem, problem) = Bundle(refs[i]);
            if (problem is { } p)
            {
                Report($"{field}.caCertificateRefs[{i}]", p.Message);
                first ??= p;
                continue;
            }

            bundle.Add(pem!);
            sources.Add($"ConfigMap {refs[i].Namespace ?? _gateway.Namespace}/{refs[i].Name}");
        }

        var unresolved = first is { } f ? GatewayCondition.False("ResolvedRefs", f.Reason, f.Message) : null;
        var resolution = bundle.Count == 0
            ? new Resolution(null, unresolved, NoneValid: true)
            : new Resolution(new FrontendValidation(string.Join('\n', bundle), insecure, string.Join(", ", sources)), unresolved, NoneValid: false);
        _resolved[field] = resolution;
        return resolution;
    }

    /// <summary>The PEM of one reference, or why it does not resolve (with the spec's reason).</summary>
    private (string? Pem, (string Reason, string Message)? Problem) Bundle(CaCertificateReference? reference)
    {
        if (reference is null || !string.IsNullOrEmpty(reference.Group) || reference.Kind != KubeKinds.ConfigMap)
        {
            return (null, ("InvalidCACertificateKind", $"{reference?.Kind ?? "(none)"}{(string.IsNullOrEmpty(reference?.Group) ? string.Empty : "." + reference.Group)} is not a CA certificate kind OneHop supports (core ConfigMap)"));
        }

        var ns = reference.Namespace ?? _gateway.Namespace;
        var name = $"ConfigMap {ns}/{reference.Name}";
        if (!new ReferenceGrants(_state).Allows(KubeKinds.Gateway, _gateway.Namespace, string.Empty, KubeKinds.ConfigMap, ns, reference.Name))
        {
            return (null, ("RefNotPermitted", $"{name} is in another namespace and no ReferenceGrant there allows it"));
        }

        if (!_state.ConfigMaps.TryGetValue(new ObjectKey(ns, reference.Name), out var map))
        {
            return (null, ("InvalidCACertificateRef", $"{name} does not exist"));
        }

        if (map.Data?.TryGetValue(KubeKinds.CaBundleKey, out var pem) != true || string.IsNullOrWhiteSpace(pem))
        {
            return (null, ("InvalidCACertificateRef", $"{name} has no {KubeKinds.CaBundleKey}"));
        }

        return CaCertificates.Problem(pem!) is { } bad
            ? (null, ("InvalidCACertificateRef", $"{KubeKinds.CaBundleKey} of {name} {bad}"))
            : (pem, null);
    }

    private void Report(string field, string message) =>
        _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidGatewayListener, $"client certificate validation: {message}", _gateway, _origin, field));

    /// <summary>A port's validation: what is served, the condition of a reference that did not resolve, and whether none did.</summary>
    internal sealed record Resolution(FrontendValidation? Validation, GatewayCondition? Unresolved, bool NoneValid)
    {
        public static readonly Resolution None = new(null, null, false);
    }
}
