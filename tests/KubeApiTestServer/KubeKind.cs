namespace KubeApiTestServer;

/// <summary>The kinds the test API server serves (see the contract, section 1).</summary>
public enum KubeKind
{
    /// <summary><c>v1</c> Service, namespaced, with a <c>/status</c> subresource.</summary>
    Service,

    /// <summary><c>v1</c> Secret, namespaced.</summary>
    Secret,

    /// <summary><c>v1</c> ConfigMap, namespaced.</summary>
    ConfigMap,

    /// <summary><c>v1</c> Node, cluster-scoped.</summary>
    Node,

    /// <summary><c>discovery.k8s.io/v1</c> EndpointSlice, namespaced.</summary>
    EndpointSlice,

    /// <summary><c>networking.k8s.io/v1</c> Ingress, namespaced, with a <c>/status</c> subresource.</summary>
    Ingress,

    /// <summary><c>networking.k8s.io/v1</c> IngressClass, cluster-scoped.</summary>
    IngressClass,

    /// <summary><c>coordination.k8s.io/v1</c> Lease, namespaced.</summary>
    Lease,

    /// <summary><c>v1</c> Namespace, cluster-scoped (its labels select routes for Gateway listeners).</summary>
    Namespace,

    /// <summary><c>gateway.networking.k8s.io/v1</c> GatewayClass, a cluster-scoped custom resource with <c>/status</c>.</summary>
    GatewayClass,

    /// <summary><c>gateway.networking.k8s.io/v1</c> Gateway, a namespaced custom resource with <c>/status</c>.</summary>
    Gateway,

    /// <summary><c>gateway.networking.k8s.io/v1</c> HTTPRoute, a namespaced custom resource with <c>/status</c>.</summary>
    HttpRoute,

    /// <summary><c>gateway.networking.k8s.io/v1</c> GRPCRoute, a namespaced custom resource with <c>/status</c>.</summary>
    GrpcRoute,

    /// <summary><c>gateway.networking.k8s.io/v1alpha2</c> TCPRoute, a namespaced custom resource with <c>/status</c>.</summary>
    TcpRoute,

    /// <summary><c>gateway.networking.k8s.io/v1alpha2</c> UDPRoute, a namespaced custom resource with <c>/status</c>.</summary>
    UdpRoute,

    /// <summary><c>gateway.networking.k8s.io/v1alpha2</c> TLSRoute, a namespaced custom resource with <c>/status</c>.</summary>
    TlsRoute,

    /// <summary><c>gateway.networking.k8s.io/v1beta1</c> ReferenceGrant, a namespaced custom resource without status.</summary>
    ReferenceGrant,

    /// <summary><c>events.k8s.io/v1</c> Event, namespaced (the real server also serves them as core <c>v1</c> Events; this one does not).</summary>
    Event,

    /// <summary><c>v1</c> Pod, namespaced, with a <c>/status</c> subresource (readiness-gate conditions are patched there).</summary>
    Pod,

    /// <summary><c>gateway.networking.k8s.io/v1</c> BackendTLSPolicy, a namespaced custom resource with <c>/status</c>.</summary>
    BackendTlsPolicy,

    /// <summary><c>gateway.networking.k8s.io/v1</c> ListenerSet, a namespaced custom resource with <c>/status</c>.</summary>
    ListenerSet,
}
