namespace OneHop.Core.State;

/// <summary>The Kubernetes kinds OneHop reads, by their API kind names.</summary>
internal static class KubeKinds
{
    public const string Service = "Service";
    public const string EndpointSlice = "EndpointSlice";
    public const string Ingress = "Ingress";
    public const string IngressClass = "IngressClass";
    public const string Secret = "Secret";
    public const string Node = "Node";
    public const string ConfigMap = "ConfigMap";
    public const string Namespace = "Namespace";
    public const string GatewayClass = "GatewayClass";
    public const string Gateway = "Gateway";
    public const string HttpRoute = "HTTPRoute";
    public const string GrpcRoute = "GRPCRoute";
    public const string TcpRoute = "TCPRoute";
    public const string UdpRoute = "UDPRoute";
    public const string TlsRoute = "TLSRoute";
    public const string Pod = "Pod";
    public const string ReferenceGrant = "ReferenceGrant";
    public const string BackendTlsPolicy = "BackendTLSPolicy";
    public const string ListenerSet = "ListenerSet";

    /// <summary>Secrets of any other type are never loaded: OneHop keeps only what it serves.</summary>
    public const string TlsSecretType = "kubernetes.io/tls";

    /// <summary>The key of an htpasswd file in a Secret (ingress-nginx's <c>auth-secret</c>): the other Secrets OneHop keeps.</summary>
    public const string HtpasswdKey = "auth";

    /// <summary>The key of a CA bundle in a ConfigMap (BackendTLSPolicy) or Secret (ingress-nginx proxy-ssl-secret).</summary>
    public const string CaBundleKey = "ca.crt";

    /// <summary>
    /// A Secret OneHop serves from: a TLS certificate, an htpasswd file under <see cref="HtpasswdKey"/>, or a CA bundle
    /// under <see cref="CaBundleKey"/> (ingress-nginx's proxy-ssl-secret is often a generic Secret).
    /// </summary>
    public static bool IsServed(k8s.Models.V1Secret secret) =>
        secret.Type == TlsSecretType || Has(secret, HtpasswdKey) || Has(secret, CaBundleKey);

    private static bool Has(k8s.Models.V1Secret secret, string key) =>
        secret.Data?.ContainsKey(key) == true || secret.StringData?.ContainsKey(key) == true;

    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>The well-known label of a Node's zone.</summary>
    public const string ZoneLabel = "topology.kubernetes.io/zone";
}
