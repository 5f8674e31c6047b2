using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// The client certificate a Gateway presents to the TLS pods of its routes (<c>spec.tls.backend.clientCertificateRef</c>).
/// Pods are shared per Service port, so the certificate cannot live on the Service's backend: a route attached to such
/// a Gateway is served by a copy of each TLS backend it names (<see cref="For"/>), with the same pods and the same
/// BackendTLSPolicy plus this certificate. A copy costs no second pod state: health, ejection, in-flight counts and
/// latency are kept per endpoint (<c>address:port</c>) whatever backend reaches it; only the balancing rotation and
/// the retry budget are the copy's own. Its connection pools are its own too, and must be: pools are keyed by the
/// backend's TLS settings, and a connection that presented one Gateway's certificate must never carry another's request.
/// </summary>
internal sealed record BackendClientCertificate(ObjectRef Secret, string CertificatePem, string KeyPem)
{
    /// <summary>
    /// The Gateway's certificate and its <c>ResolvedRefs</c> condition; null for both without a reference. A reference
    /// that does not resolve (missing Secret, another kind, no certificate and key, another namespace without a
    /// ReferenceGrant) is reported, and no certificate is presented.
    /// </summary>
    public static (BackendClientCertificate? Certificate, GatewayCondition? Condition) Resolve(ClusterState state, ObjectRef gateway, ObjectOrigin origin, GatewayBackendTls? backend, List<Diagnostic> diagnostics)
    {
        if (backend?.ClientCertificateRef is not { } reference)
        {
            return (null, null);
        }

        var secret = new ObjectRef(KubeKinds.Secret, reference.Namespace ?? gateway.Namespace, reference.Name ?? string.Empty);
        var (reason, problem) = Problem(state, gateway, reference, secret, out var pair);
        if (problem is null)
        {
            return (new BackendClientCertificate(secret, pair.Certificate!, pair.Key!), GatewayCondition.True("ResolvedRefs", "ResolvedRefs"));
        }

        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidGatewayListener, $"{problem}; no client certificate is presented to the pods", gateway, origin, "spec.tls.backend.clientCertificateRef"));
        return (null, GatewayCondition.False("ResolvedRefs", reason, problem));
    }

    /// <summary>The copy of a TLS backend that presents this certificate (plain backends are returned as they are).</summary>
    public Backend For(Backend backend, ObjectRef gateway) =>
        backend.Protocol is not (BackendProtocol.Https or BackendProtocol.H2) ? backend : backend with
        {
            Id = $"{backend.Id}/client-cert:{gateway.Key}",
            Tls = (backend.Tls ?? BackendTls.Unverified) with { ClientCertificatePem = CertificatePem, ClientKeyPem = KeyPem },
        };

    private static (string Reason, string? Problem) Problem(ClusterState state, ObjectRef gateway, SecretObjectReference reference, ObjectRef secret, out (string? Certificate, string? Key) pair)
    {
        pair = default;
        if ((reference.Group ?? string.Empty).Length != 0 || (reference.Kind ?? KubeKinds.Secret) != KubeKinds.Secret)
        {
            return ("InvalidClientCertificateRef", $"clientCertificateRef {reference.Kind}.{reference.Group} is not a core Secret");
        }

        if (!new ReferenceGrants(state).Allows(KubeKinds.Gateway, gateway.Namespace, string.Empty, KubeKinds.Secret, secret.Namespace, secret.Name))
        {
            return ("RefNotPermitted", $"Secret {secret.Key} is in another namespace and no ReferenceGrant there allows it");
        }

        if (!state.Secrets.TryGetValue(secret.Key, out var found))
        {
            return ("InvalidClientCertificateRef", $"Secret {secret.Key} does not exist (OneHop reads Secrets of type kubernetes.io/tls)");
        }

        pair = (SecretText.Of(found, "tls.crt"), SecretText.Of(found, "tls.key"));
        if (pair.Certificate is null || pair.Key is null)
        {
            return ("InvalidClientCertificateRef", $"Secret {secret.Key} has no tls.crt or no tls.key");
        }

        return CertificateParser.Parse(pair.Certificate, pair.Key).Error is { } error
            ? ("InvalidClientCertificateRef", $"Secret {secret.Key} is not a certificate and its key: {error}")
            : ("ResolvedRefs", null);
    }
}
