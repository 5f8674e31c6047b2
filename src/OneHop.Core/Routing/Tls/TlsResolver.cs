using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Ingresses;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Tls;

/// <summary>
/// Resolves Ingress <c>spec.tls</c> entries to certificates from <c>kubernetes.io/tls</c> Secrets in the Ingress's
/// namespace, and TLS annotations to per-host policy. Ingresses are added oldest first: the first certificate bound
/// to a host keeps it. A host whose Secret is missing or broken is still served over TLS with the default
/// certificate, and the problem is reported.
/// </summary>
internal sealed class TlsResolver(ClusterState state, List<Diagnostic> diagnostics, TranslationCache? cache = null)
{
    private readonly Dictionary<string, (TlsCertificate Certificate, List<string> Hosts)> _certificates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string CertificateId, string Owner)> _bindings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HostPolicy> _hosts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _portDefaults = new(StringComparer.Ordinal);

    /// <summary>Binds the Ingress's certificates and host policies; returns true (for <see cref="TranslationGuard"/>).</summary>
    public bool Add(CompiledIngress ingress)
    {
        var (clientCaId, clientCaPem) = ClientCa(ingress);
        foreach (var tls in ingress.Tls)
        {
            var certificate = tls.SecretName is { } name ? Certificate(ingress.Ref, ingress.Origin, new ObjectRef(KubeKinds.Secret, ingress.Ref.Namespace, name), $"{tls.Field}.secretName") : null;
            foreach (var host in tls.Hosts)
            {
                if (certificate is not null)
                {
                    Bind(ingress.Ref, ingress.Origin, host, certificate.Value, tls.Field);
                }

                _hosts.TryAdd(host, Policy(ingress, host, ingress.TlsSettings.SslRedirect ?? true, clientCaId, clientCaPem, ingress.TlsSettings.ClientSubjectPattern));
            }
        }

        if (ingress.TlsSettings.ForceSslRedirect)
        {
            // TLS terminated in front: the rule hosts redirect although this Ingress has no spec.tls for them.
            foreach (var rule in ingress.Rules.Where(r => r.Host.Length > 0))
            {
                _hosts.TryAdd(rule.Host, Policy(ingress, rule.Host, true, null, null, null));
            }
        }

        return true;
    }

    private static HostPolicy Policy(CompiledIngress ingress, string host, bool redirect, string? clientCaId, string? clientCaPem, string? subjectPattern) =>
        new(host, redirect, ingress.TlsSettings.Hsts, clientCaId, clientCaPem)
        {
            RedirectPort = ingress.TlsSettings.RedirectPort,
            ForceSslRedirect = ingress.TlsSettings.ForceSslRedirect,
            ClientSubjectPattern = subjectPattern,
            ClientCaDepth = clientCaPem is null ? null : ingress.TlsSettings.ClientVerifyDepth,
            ClientVerify = clientCaPem is null ? null : ingress.TlsSettings.ClientVerify,
            ClientErrorPage = clientCaPem is null ? null : ingress.TlsSettings.ClientErrorPage,
        };

    /// <summary>The certificates bound to hosts, and those of hostname-less Gateway listeners (their ports' defaults) even without.</summary>
    public ImmutableArray<TlsCertificate> Certificates =>
        [.. _certificates.Values.Where(c => c.Hosts.Count > 0 || _portDefaults.Contains(c.Certificate.Id)).Select(c => c.Certificate with { Hosts = [.. c.Hosts.Order(StringComparer.Ordinal)] }).OrderBy(c => c.Id, StringComparer.Ordinal)];

    public ImmutableArray<HostPolicy> HostPolicies => [.. _hosts.Values.OrderBy(h => h.Host, StringComparer.Ordinal)];

    /// <summary>
    /// Binds the certificate of a Gateway's HTTPS listener (a certificateRef already checked for existence and
    /// ReferenceGrant) to the hosts it serves: its hostname, or the hostnames of the routes attached to it; with
    /// <paramref name="portDefault"/> (a listener without hostname) it is kept for its port though no host names it.
    /// Returns why the Secret is not a usable certificate (the listener's <c>InvalidCertificateRef</c>), or null when it is.
    /// </summary>
    public string? AddListener(ObjectRef gateway, ObjectOrigin origin, ObjectRef secret, IEnumerable<string> hosts, string field, bool portDefault = false)
    {
        if (Certificate(gateway, origin, secret, field, out var problem) is not { } certificate)
        {
            return problem;
        }

        if (portDefault)
        {
            _portDefaults.Add(certificate.Certificate.Id);
        }

        foreach (var host in hosts)
        {
            Bind(gateway, origin, host, certificate, field);
        }

        return null;
    }

    /// <summary>
    /// Reads another certificateRef of a Gateway listener, one it does not serve (an earlier one is served): returns why
    /// its Secret is not a usable certificate, or null when it is.
    /// </summary>
    public string? Check(ObjectRef gateway, ObjectOrigin origin, ObjectRef secret, string field)
    {
        Certificate(gateway, origin, secret, field, out var problem);
        return problem;
    }

    private void Bind(ObjectRef owner, ObjectOrigin origin, string host, (TlsCertificate Certificate, CertificateInfo Info) certificate, string field)
    {
        var id = certificate.Certificate.Id;
        if (_bindings.TryGetValue(host, out var existing))
        {
            if (existing.CertificateId != id)
            {
                diagnostics.Add(Diagnostic.Warning(
                    DiagnosticCodes.TlsConflict,
                    $"host {host} already uses the certificate of {existing.CertificateId} from {existing.Owner}, which is older; {id} is not used for it",
                    owner,
                    origin,
                    field));
            }

            return;
        }

        if (!CertificateParser.Covers(certificate.Info.DnsNames, host))
        {
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.CertificateMismatch,
                $"the certificate of {id} ({certificate.Info.Subject}) does not name {host}; clients that verify host names will reject it",
                owner,
                origin,
                field));
        }

        _bindings[host] = (id, owner.ToString());
        _certificates[id].Hosts.Add(host);
    }

    private (TlsCertificate Certificate, CertificateInfo Info)? Certificate(ObjectRef owner, ObjectOrigin ownerOrigin, ObjectRef reference, string field) =>
        Certificate(owner, ownerOrigin, reference, field, out _);

    private (TlsCertificate Certificate, CertificateInfo Info)? Certificate(ObjectRef owner, ObjectOrigin ownerOrigin, ObjectRef reference, string field, out string? problem)
    {
        problem = null;
        if (!state.Secrets.TryGetValue(reference.Key, out var secret))
        {
            problem = $"Secret {reference.Key} does not exist (OneHop reads Secrets of type kubernetes.io/tls)";
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.UnknownSecret,
                $"Secret {reference.Key} does not exist (OneHop reads Secrets of type kubernetes.io/tls); its hosts get the default certificate",
                owner,
                ownerOrigin,
                field));
            return null;
        }

        var id = reference.ToString();
        var certificatePem = SecretText.Of(secret, "tls.crt");
        var keyPem = SecretText.Of(secret, "tls.key");
        string? error = certificatePem is null || keyPem is null ? "it has no tls.crt or no tls.key" : null;
        CertificateInfo? info = null;
        if (error is null)
        {
            var origin = state.OriginOf(reference);
            if (cache is null || !cache.TryGetCertificate(reference.Key, secret, origin, out var parsed))
            {
                var (i, e) = CertificateParser.Parse(certificatePem!, keyPem!);
                parsed = new TranslationCache.CertificateEntry(secret, origin, i, e);
                cache?.PutCertificate(reference.Key, parsed);
            }

            (info, error) = (parsed.Info, parsed.Error);
        }

        if (error is not null)
        {
            problem = $"{id} is not usable: {error}";
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidSecret, $"{problem}; its hosts get the default certificate", reference, state.OriginOf(reference), "data"));
            return null;
        }

        if (!_certificates.TryGetValue(id, out var known))
        {
            known = (new TlsCertificate(id, [], info!.Subject, info.Thumbprint, info.NotAfter, certificatePem!, keyPem!), []);
            _certificates[id] = known;
        }

        return (known.Certificate, info!);
    }

    private (string? Id, string? Pem) ClientCa(CompiledIngress ingress)
    {
        if (ingress.TlsSettings.ClientCaSecret is not { } name)
        {
            return (null, null);
        }

        var reference = new ObjectRef(KubeKinds.Secret, ingress.Ref.Namespace, name);
        var field = ingress.TlsSettings.ClientCaField;
        var pem = state.Secrets.TryGetValue(reference.Key, out var secret) ? SecretText.Of(secret, "ca.crt") : null;
        var (_, error) = pem is null ? (0, $"Secret {reference.Key} with a ca.crt key does not exist") : CertificateParser.ParseBundle(pem);
        if (error is not null)
        {
            // Fail closed: without a usable CA no client certificate can be accepted, so the host refuses them all.
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidSecret, $"client CA: {error}; clients of this Ingress's TLS hosts will be refused", ingress.Ref, ingress.Origin, field));
            return (reference.ToString(), string.Empty);
        }

        return (reference.ToString(), pem);
    }
}
