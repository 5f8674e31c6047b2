namespace OneHop.Core.Routing;

/// <summary>The annotations OneHop reads.</summary>
internal static class Annotations
{
    /// <summary>Longest a request on an Ingress's routes may take in all, retries included (e.g. <c>30s</c>).</summary>
    public const string Timeout = "onehop.dev/timeout";

    /// <summary>
    /// On an Ingress: <c>"false"</c> sends its answers uncompressed whatever the config file's <c>compression</c> says;
    /// <c>"true"</c> compresses them as ingress-nginx's ConfigMap, else that section, says, or with OneHop's defaults.
    /// </summary>
    public const string Compression = "onehop.dev/compression";

    /// <summary>On an EndpointSlice: the weight of all its endpoints for weighted algorithms (canaries).</summary>
    public const string Weight = "onehop.dev/weight";

    /// <summary>On an Ingress: its hosts' TLS connections go to the pods untouched, routed by SNI (<c>"true"</c>).</summary>
    public const string SslPassthrough = "onehop.dev/ssl-passthrough";

    /// <summary>ingress-nginx's name for <see cref="SslPassthrough"/>, honoured so its users' Ingresses work unchanged.</summary>
    public const string NginxSslPassthrough = "nginx.ingress.kubernetes.io/ssl-passthrough";

    /// <summary>Deprecated class selection, still honoured.</summary>
    public const string IngressClass = "kubernetes.io/ingress.class";

    /// <summary>Marks an IngressClass as the cluster's default.</summary>
    public const string IsDefaultClass = "ingressclass.kubernetes.io/is-default-class";
}
