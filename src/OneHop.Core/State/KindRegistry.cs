using System.Collections.Immutable;
using k8s;
using k8s.Models;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.State;

/// <summary>Every kind OneHop reads, in the order of their slots in <see cref="ClusterState"/>.</summary>
internal static class KindRegistry
{
    public static readonly KubeKind<V1Service> Service = new(0, KubeKinds.Service, string.Empty, "v1", "services", clusterScoped: false);

    public static readonly KubeKind<V1EndpointSlice> EndpointSlice = new(1, KubeKinds.EndpointSlice, "discovery.k8s.io", "v1", "endpointslices", clusterScoped: false);

    public static readonly KubeKind<V1Ingress> Ingress = new(2, KubeKinds.Ingress, "networking.k8s.io", "v1", "ingresses", clusterScoped: false);

    public static readonly KubeKind<V1IngressClass> IngressClass = new(3, KubeKinds.IngressClass, "networking.k8s.io", "v1", "ingressclasses", clusterScoped: true);

    /// <summary>
    /// Only <c>kubernetes.io/tls</c> Secrets (filtered by the API server) and Secrets holding an htpasswd file under
    /// <c>auth</c> (for basic authentication) or a CA bundle under <c>ca.crt</c> (proxy-ssl-secret); others are dropped as they arrive, and skipped in manifests.
    /// </summary>
    public static readonly KubeKind<V1Secret> Secret = new(4, KubeKinds.Secret, string.Empty, "v1", "secrets", clusterScoped: false, s => KubeKinds.IsServed(s) ? null : $"Secret ({s.Type ?? "Opaque"}) without tls.crt, an htpasswd file under auth or ca.crt")
    {
        FieldSelector = "type=" + KubeKinds.TlsSecretType,
    };

    public static readonly KubeKind<V1Node> Node = new(5, KubeKinds.Node, string.Empty, "v1", "nodes", clusterScoped: true);

    /// <summary>
    /// ingress-nginx's tcp-services and udp-services ConfigMaps. From the API only the maps named on the command line
    /// or in the config are listed (a field selector on each one's name), so OneHop holds no other ConfigMap's data; a
    /// manifest directory's ConfigMaps are all read, and the translator uses only the named ones.
    /// </summary>
    public static readonly KubeKind<V1ConfigMap> ConfigMap = new(6, KubeKinds.ConfigMap, string.Empty, "v1", "configmaps", clusterScoped: false);

    /// <summary>Gateway API (gateway.networking.k8s.io): custom resources, absent from clusters without their CRDs.</summary>
    public static readonly KubeKind<GatewayClass> GatewayClass = new(7, KubeKinds.GatewayClass, GatewayApiNames.Group, "v1", "gatewayclasses", clusterScoped: true) { OtherVersions = ["v1beta1"] };

    public static readonly KubeKind<GatewayApi.Gateway> Gateway = new(8, KubeKinds.Gateway, GatewayApiNames.Group, "v1", "gateways", clusterScoped: false) { OtherVersions = ["v1beta1"] };

    public static readonly KubeKind<HttpRoute> HttpRoute = new(9, KubeKinds.HttpRoute, GatewayApiNames.Group, "v1", "httproutes", clusterScoped: false) { OtherVersions = ["v1beta1"] };

    public static readonly KubeKind<ReferenceGrant> ReferenceGrant = new(10, KubeKinds.ReferenceGrant, GatewayApiNames.Group, "v1beta1", "referencegrants", clusterScoped: false) { OtherVersions = ["v1"] };

    /// <summary>Namespaces, for their labels: a Gateway listener's <c>allowedRoutes.namespaces.selector</c> matches them.</summary>
    public static readonly KubeKind<V1Namespace> Namespace = new(11, KubeKinds.Namespace, string.Empty, "v1", "namespaces", clusterScoped: true);

    public static readonly KubeKind<GrpcRoute> GrpcRoute = new(12, KubeKinds.GrpcRoute, GatewayApiNames.Group, "v1", "grpcroutes", clusterScoped: false);

    /// <summary>Experimental channel (v1alpha2): clusters with only the standard channel's CRDs report them not installed.</summary>
    public static readonly KubeKind<TcpRoute> TcpRoute = new(13, KubeKinds.TcpRoute, GatewayApiNames.Group, "v1alpha2", "tcproutes", clusterScoped: false);

    public static readonly KubeKind<UdpRoute> UdpRoute = new(14, KubeKinds.UdpRoute, GatewayApiNames.Group, "v1alpha2", "udproutes", clusterScoped: false);

    /// <summary>Watched as v1alpha2, which every release with TLSRoute serves; v1alpha3 and v1 manifests have the same fields OneHop reads.</summary>
    public static readonly KubeKind<TlsRoute> TlsRoute = new(15, KubeKinds.TlsRoute, GatewayApiNames.Group, "v1alpha2", "tlsroutes", clusterScoped: false) { OtherVersions = ["v1alpha3", "v1"] };

    /// <summary>
    /// Pods, read only with the readiness gate on (<c>--readiness-gate</c>): a pod that waits for <c>onehop.dev/routed</c>
    /// is routed once its containers are ready, and the leader reads them to patch the gate's condition.
    /// </summary>
    public static readonly KubeKind<V1Pod> Pod = new(16, KubeKinds.Pod, string.Empty, "v1", "pods", clusterScoped: false);

    /// <summary>Standard channel since v1.4 (v1); v1alpha3 manifests have the same fields OneHop reads.</summary>
    public static readonly KubeKind<BackendTlsPolicy> BackendTlsPolicy = new(17, KubeKinds.BackendTlsPolicy, GatewayApiNames.Group, "v1", "backendtlspolicies", clusterScoped: false) { OtherVersions = ["v1alpha3"] };

    /// <summary>Standard channel since v1.5 (v1): listeners a Gateway takes from other objects (<c>spec.allowedListeners</c>).</summary>
    public static readonly KubeKind<ListenerSet> ListenerSet = new(18, KubeKinds.ListenerSet, GatewayApiNames.Group, "v1", "listenersets", clusterScoped: false);

    public static readonly ImmutableArray<KubeKind> All = Checked([Service, EndpointSlice, Ingress, IngressClass, Secret, Node, ConfigMap, GatewayClass, Gateway, HttpRoute, ReferenceGrant, Namespace, GrpcRoute, TcpRoute, UdpRoute, TlsRoute, Pod, BackendTlsPolicy, ListenerSet]);

    private static readonly Dictionary<Type, KubeKind> ByType = All.ToDictionary(k => k.Accept(ModelType.Instance));

    /// <summary>The kind of an object by its model type; null for a type OneHop does not read.</summary>
    public static KubeKind? Of(IKubernetesObject<V1ObjectMeta> obj) => ByType.GetValueOrDefault(obj.GetType());

    /// <summary>The kind with this apiVersion and kind name; null for any other.</summary>
    public static KubeKind? Find(string apiVersion, string kind) => All.FirstOrDefault(k => k.Name == kind && k.Accepts(apiVersion));

    private static ImmutableArray<KubeKind> Checked(ImmutableArray<KubeKind> kinds)
    {
        for (var i = 0; i < kinds.Length; i++)
        {
            if (kinds[i].Index != i)
            {
                throw new InvalidOperationException($"{kinds[i].Name} has slot {kinds[i].Index} but is listed at {i}");
            }
        }

        return kinds;
    }

    private sealed class ModelType : IKindVisitor<Type>
    {
        public static readonly ModelType Instance = new();

        public Type Visit<T>(KubeKind<T> kind)
            where T : class, IKubernetesObject<V1ObjectMeta> => typeof(T);
    }
}
