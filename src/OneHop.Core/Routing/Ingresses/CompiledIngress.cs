using System.Collections.Immutable;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses;

/// <summary>An Ingress reduced to what routing needs. Kept as "last good" while a later version has errors.</summary>
internal sealed record CompiledIngress(
    ObjectRef Ref,
    string? Uid,
    string? ResourceVersion,
    DateTime? Created,
    ObjectOrigin Origin,
    ImmutableArray<IngressRule> Rules,
    BackendRef? DefaultBackend,
    ImmutableArray<PolicySetting> PolicySettings,
    TimeSpan? Timeout)
{
    /// <summary>The <c>spec.tls</c> entries.</summary>
    public ImmutableArray<IngressTls> Tls { get; init; } = [];

    public TlsAnnotations TlsSettings { get; init; } = TlsAnnotations.None;

    /// <summary>
    /// <c>onehop.dev/ssl-passthrough</c> (or ingress-nginx's): TLS for this Ingress's hosts is not terminated; on the HTTPS
    /// listeners the ClientHello's SNI sends the connection to the backend of the host's <c>/</c> path.
    /// </summary>
    public bool SslPassthrough { get; init; }

    /// <summary><c>onehop.dev/compression</c>: false for none, true for the config's or OneHop's; null without the annotation.</summary>
    public bool? Compression { get; init; }

    /// <summary>Its <c>nginx.ingress.kubernetes.io/*</c> annotations, read through the registry.</summary>
    public Nginx.NginxSettings Nginx { get; init; } = Ingresses.Nginx.NginxSettings.None;

    /// <summary>The response headers of its <c>custom-headers</c> ConfigMap, as the translator last read them; empty without.</summary>
    public ImmutableArray<KeyValuePair<string, string>> CustomHeaders { get; init; } = [];

    /// <summary>What stands for an Ingress that could not be read at all: no rules, its identity and age only.</summary>
    public static CompiledIngress Broken(ObjectRef reference, k8s.Models.V1Ingress ingress, ObjectOrigin origin) =>
        new(reference, ingress.Metadata?.Uid, ingress.Metadata?.ResourceVersion, ingress.Metadata?.CreationTimestamp, origin, [], null, [], null);

    /// <summary>Older first, then by namespace/name: decides route conflicts the way ingress-nginx does.</summary>
    public static int CompareAge(CompiledIngress a, CompiledIngress b)
    {
        var byTime = Nullable.Compare(a.Created, b.Created);
        return byTime != 0 ? byTime : a.Ref.CompareTo(b.Ref);
    }
}
