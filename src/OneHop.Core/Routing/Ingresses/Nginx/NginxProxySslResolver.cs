using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Turns an Ingress's <c>proxy-ssl-*</c> into the <see cref="BackendTls"/> of its backends, reading the Secret from the
/// cluster state: ca.crt is the only trust when proxy-ssl-verify is on, tls.crt and tls.key the client certificate.
/// A Secret that is missing or unusable is reported and yields a policy with a problem: connections fail (502), never
/// go unverified or without the certificate the pod may require.
/// </summary>
internal static class NginxProxySslResolver
{
    private const string Field = $"metadata.annotations[{NginxAnnotations.Prefix}proxy-ssl-secret]";

    public static BackendTls Resolve(CompiledIngress ingress, NginxProxySsl ssl, ClusterState cluster, List<Diagnostic> diagnostics)
    {
        var source = $"{ingress.Ref} proxy-ssl-secret";
        var tls = new BackendTls
        {
            Verify = ssl.Verify,
            ServerName = ssl.Name,
            WithoutSni = !ssl.SendName,
            VerifyDepth = ssl.Verify ? ssl.VerifyDepth : null,
            Protocols = ssl.Protocols,
            Ciphers = ssl.Ciphers,
            Source = source,
        };
        var slash = ssl.Secret.IndexOf('/', StringComparison.Ordinal);
        var key = new ObjectKey(ssl.Secret[..slash], ssl.Secret[(slash + 1)..]);
        if (!cluster.Secrets.TryGetValue(key, out var secret))
        {
            return Unusable($"Secret {key} does not exist (OneHop reads Secrets of type kubernetes.io/tls, or with ca.crt); connections to the pods fail until it does", DiagnosticCodes.UnknownSecret);
        }

        var ca = SecretText.Of(secret, KubeKinds.CaBundleKey);
        if (ca is not null && CertificateParser.ParseBundle(ca).Error is { } caError)
        {
            return Unusable($"ca.crt of Secret {key} is not PEM certificates ({caError}); connections to the pods fail", DiagnosticCodes.InvalidSecret);
        }

        if (ssl.Verify && ca is null)
        {
            return Unusable($"proxy-ssl-verify is on and Secret {key} has no ca.crt to verify the pods with; connections to the pods fail rather than go unverified", DiagnosticCodes.InvalidSecret);
        }

        var (certificate, privateKey) = (SecretText.Of(secret, "tls.crt"), SecretText.Of(secret, "tls.key"));
        if (certificate is not null && privateKey is not null && CertificateParser.Parse(certificate, privateKey).Error is { } error)
        {
            return Unusable($"Secret {key}: {error}; connections to the pods fail", DiagnosticCodes.InvalidSecret);
        }

        return tls with { CaPem = ssl.Verify ? ca : null, ClientCertificatePem = privateKey is null ? null : certificate, ClientKeyPem = certificate is null ? null : privateKey };

        BackendTls Unusable(string why, string code)
        {
            diagnostics.Add(Diagnostic.Error(code, why, ingress.Ref, ingress.Origin, Field));
            return tls with { Problem = why };
        }
    }
}
